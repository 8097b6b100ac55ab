import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { expr, placeholders, setExpr, type Expression } from './expressions.ts';
import { errorName, translateSdkError } from './sdk-errors.ts';

/** One item of a TransactWriteItems call (document client shapes): only the DynamoDB adapter builds them. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export type Item = Record<string, unknown>;
export interface Key {
  pk: string;
  sk: string;
}

/** One entry of a cancelled transaction's CancellationReasons, aligned with the items sent. */
export interface CancellationReason {
  /** `None`, `ConditionalCheckFailed`, `TransactionConflict`, `ThrottlingError`, ... */
  code: string;
  /** The item as it was when its condition failed (ReturnValuesOnConditionCheckFailure ALL_OLD). */
  item?: Item;
}

export type TransactOutcome =
  | { status: 'committed' }
  | { status: 'cancelled'; reasons: CancellationReason[] }
  /** The ClientRequestToken was used within DynamoDB's window by a request with other parameters. */
  | { status: 'token-mismatch' }
  /** A transaction with the same ClientRequestToken is still running. */
  | { status: 'in-progress' };

export const CONDITION_FAILED = 'ConditionalCheckFailed';
const transientReasons = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);
const TRANSACT_ATTEMPTS = 6;

/** Full-jitter backoff: 0..(10 ms * 2^attempt), capped at 400 ms. */
export const backoff = (attempt: number): Promise<void> =>
  new Promise((done) => setTimeout(done, Math.random() * Math.min(400, 10 * 2 ** attempt)));

const reasonsOf = (error: unknown): CancellationReason[] => {
  const raw = (error as { CancellationReasons?: { Code?: string; Item?: Record<string, AttributeValue> }[] })
    .CancellationReasons;
  return (raw ?? []).map((r) => ({
    code: r.Code ?? 'None',
    ...(r.Item ? { item: unmarshall(r.Item) } : {}),
  }));
};

/**
 * The table as the adapters see it: consistent reads, conditional writes, transactions with their
 * cancellation reasons decoded, and every SDK error translated (lib/store/sdk-errors.ts).
 */
export class TableClient {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;

  constructor(options: { doc: DynamoDBDocumentClient; tableName: string }) {
    this.doc = options.doc;
    this.tableName = options.tableName;
  }

  async get(key: Key): Promise<Item | undefined> {
    try {
      const out = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      return out.Item;
    } catch (error) {
      throw translateSdkError(error);
    }
  }

  /**
   * Query, following pages until `limit` items are collected (all when no limit). `more` tells whether
   * items may follow the last one returned.
   */
  async query(
    input: { keyCondition: Expression; filter?: Expression; index?: string; newestFirst?: boolean },
    limit?: number,
    startKey?: Item,
  ): Promise<{ items: Item[]; more: boolean }> {
    const items: Item[] = [];
    if (limit !== undefined && limit < 1) return { items, more: false };
    let exclusiveStartKey = startKey;
    try {
      for (;;) {
        const remaining = limit === undefined ? undefined : limit - items.length;
        const request: QueryCommandInput = {
          TableName: this.tableName,
          KeyConditionExpression: input.keyCondition.expression,
          ...(input.filter ? { FilterExpression: input.filter.expression } : {}),
          ...placeholders(input.keyCondition, input.filter),
          ...(input.index ? { IndexName: input.index } : { ConsistentRead: true }),
          ...(input.newestFirst ? { ScanIndexForward: false } : {}),
          ...(remaining === undefined ? {} : { Limit: remaining }),
          ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
        };
        const page = await this.doc.send(new QueryCommand(request));
        items.push(...(page.Items ?? []));
        exclusiveStartKey = page.LastEvaluatedKey;
        if (!exclusiveStartKey) return { items, more: false };
        if (limit !== undefined && items.length >= limit) return { items, more: true };
      }
    } catch (error) {
      throw translateSdkError(error);
    }
  }

  /**
   * Every item matching `filter`, from a consistent Scan of the whole table, following pages. For audits
   * that must not trust an index (an index entry is an attribute anyone with write access can remove).
   */
  async scan(filter: Expression): Promise<Item[]> {
    const items: Item[] = [];
    let exclusiveStartKey: Item | undefined;
    try {
      do {
        const page = await this.doc.send(
          new ScanCommand({
            TableName: this.tableName,
            FilterExpression: filter.expression,
            ...placeholders(filter),
            ConsistentRead: true,
            ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
          }),
        );
        items.push(...(page.Items ?? []));
        exclusiveStartKey = page.LastEvaluatedKey;
      } while (exclusiveStartKey);
      return items;
    } catch (error) {
      throw translateSdkError(error);
    }
  }

  /** A conditional PutItem; `false` when the condition failed. */
  async putIf(item: Item, condition: Expression): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: condition.expression,
          ...placeholders(condition),
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return false;
      throw translateSdkError(error);
    }
  }

  /** A conditional UpdateItem adding `by` to the number `attribute`; `false` when the condition failed. */
  addIf(key: Key, attribute: string, by: number, condition: Expression): Promise<boolean> {
    return this.addAndSetIf(key, attribute, by, {}, condition);
  }

  /**
   * A conditional UpdateItem adding `by` to the number `attribute` (created at 0) and setting the
   * defined `values` (counters that carry their own description); `false` when the condition failed.
   */
  async addAndSetIf(
    key: Key,
    attribute: string,
    by: number,
    values: Item,
    condition: Expression,
  ): Promise<boolean> {
    const set = Object.values(values).some((v) => v !== undefined) ? setExpr(values) : undefined;
    const prefix = set === undefined ? '' : `${set.expression} `;
    const add = expr(`${prefix}ADD #${attribute} :add_${attribute}`, { [`add_${attribute}`]: by });
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: add.expression,
          ConditionExpression: condition.expression,
          ...placeholders(set, add, condition),
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return false;
      throw translateSdkError(error);
    }
  }

  /** A Put for a transaction; the item as it was is returned in the reasons when the condition fails. */
  putOp(item: Item, condition: Expression): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: item,
        ConditionExpression: condition.expression,
        ...placeholders(condition),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  /**
   * An Update for a transaction adding `by` to the number `attribute` (created at 0) and setting the
   * defined `values`, conditional on `condition` (addAndSetIf inside a transaction).
   */
  addOp(key: Key, attribute: string, by: number, values: Item, condition: Expression): TransactItem {
    const set = setExpr(values);
    const add = expr(`${set.expression} ADD #${attribute} :add_${attribute}`, { [`add_${attribute}`]: by });
    return {
      Update: {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: add.expression,
        ConditionExpression: condition.expression,
        ...placeholders(set, add, condition),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  /** An Update (`SET` of `values`) for a transaction, conditional on `condition`. */
  updateOp(key: Key, values: Item, condition: Expression): TransactItem {
    const set = setExpr(values);
    return {
      Update: {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: set.expression,
        ConditionExpression: condition.expression,
        ...placeholders(set, condition),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  /**
   * One TransactWriteItems. Transient cancellations (another transaction touching the same item,
   * throttling) and a still-running transaction with the same token are retried with the very same
   * input, which the ClientRequestToken makes safe. Condition failures are returned, not thrown.
   */
  async transact(items: TransactItem[], clientRequestToken: string): Promise<TransactOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.doc.send(
          new TransactWriteCommand({ TransactItems: items, ClientRequestToken: clientRequestToken }),
        );
        return { status: 'committed' };
      } catch (error) {
        const name = errorName(error);
        const last = attempt >= TRANSACT_ATTEMPTS;
        if (name === 'TransactionCanceledException') {
          const reasons = reasonsOf(error);
          const transient =
            reasons.some((r) => transientReasons.has(r.code)) &&
            !reasons.some((r) => r.code === CONDITION_FAILED);
          if (!transient || last) return { status: 'cancelled', reasons };
        } else if (name === 'TransactionInProgressException') {
          if (last) return { status: 'in-progress' };
        } else if (name === 'IdempotentParameterMismatchException') {
          return { status: 'token-mismatch' };
        } else {
          throw translateSdkError(error);
        }
        await backoff(attempt);
      }
    }
  }
}
