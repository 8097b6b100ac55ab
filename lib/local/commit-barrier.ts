import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableDefinition } from '#store/table.ts';

/** A key no Convoy item has: the barrier's read finds nothing, it only has to wait its turn. */
const BARRIER_KEY = {
  [tableDefinition.partitionKey]: { S: '#commit-barrier' },
  [tableDefinition.sortKey]: { S: '#commit-barrier' },
};

interface TransactInput {
  TransactItems?: Record<string, { TableName?: string } | undefined>[];
}

const tableOf = (input: TransactInput): string | undefined => {
  for (const item of input.TransactItems ?? []) {
    for (const action of Object.values(item)) if (action?.TableName) return action.TableName;
  }
  return undefined;
};

/**
 * DynamoDB Local answers TransactWriteItems before its SQLite COMMIT has run: the commit is queued
 * on the engine's single SQLite thread and not awaited (SQLiteDBAccess.commitTransaction), so a
 * `kill -9` right after a 200 loses the transaction. Every other call waits for its job on that same
 * FIFO thread, so one read sent after the answer returns only once the COMMIT is on disk. `client`
 * sends the transactions; `barrier` (a client without this middleware) sends the read. If the read
 * fails, the engine died before it could confirm: the write is reported failed, not acknowledged.
 */
export const addCommitBarrier = (
  client: DynamoDBClient | DynamoDBDocumentClient,
  barrier: DynamoDBClient,
): void => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'TransactWriteItemsCommand') {
        const table = tableOf(args.input as TransactInput);
        if (table !== undefined)
          await barrier.send(
            new GetItemCommand({ TableName: table, Key: BARRIER_KEY, ConsistentRead: true }),
          );
      }
      return result;
    },
    { step: 'initialize', name: 'convoyLocalCommitBarrier' },
  );
};
