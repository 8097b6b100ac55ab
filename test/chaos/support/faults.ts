import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Fault injection on the store's document client, one operation at a time. The calls an operation
 * makes (and only those: concurrent readers run outside its scope) are counted in order; a fault
 * planned at call `at` is injected there:
 *
 * - `before`   the engine fails mid-request before anything is written (a reset connection);
 * - `after`    the request is sent and written, then the answer is lost (a timeout as the caller sees it);
 * - `throttle` DynamoDB refuses the call with ThrottlingException (after the SDK's own retries);
 * - `conflict` a write loses to another transaction: TransactionCanceledException with TransactionConflict
 *              reasons for TransactWriteItems, TransactionConflictException for a single-item write.
 *
 * The middleware sits in the `initialize` step, outside the SDK's retry loop: the adapter sees the fault.
 */
export type FaultKind = 'before' | 'after' | 'throttle' | 'conflict';
export const faultKinds: readonly FaultKind[] = ['before', 'after', 'throttle', 'conflict'];

export interface Fault {
  at: number;
  kind: FaultKind;
}

interface Scope {
  calls: string[];
  fault?: Fault;
  injected: number;
}

const scopes = new AsyncLocalStorage<Scope>();

const WRITES = new Set([
  'TransactWriteItemsCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
]);

/** Whether `kind` means anything for a call of `command` (only writes lose to a conflict). */
export const applies = (kind: FaultKind, command: string): boolean =>
  kind !== 'conflict' || WRITES.has(command);

const sdkError = (name: string, message: string, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400, attempts: 3 },
    ...extra,
  });

const inject = async (
  kind: FaultKind,
  command: string,
  input: unknown,
  send: () => Promise<unknown>,
): Promise<never> => {
  switch (kind) {
    case 'before':
      throw Object.assign(new Error('injected: socket hang up'), { code: 'ECONNRESET' });
    case 'after':
      await send();
      throw Object.assign(new Error('injected: the answer was lost'), {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
      });
    case 'throttle':
      throw sdkError('ThrottlingException', 'injected: Rate of requests exceeds the allowed throughput.');
    case 'conflict': {
      if (command === 'TransactWriteItemsCommand') {
        const items = (input as { TransactItems?: unknown[] }).TransactItems ?? [];
        throw sdkError(
          'TransactionCanceledException',
          'injected: Transaction cancelled [TransactionConflict]',
          {
            CancellationReasons: items.map(() => ({
              Code: 'TransactionConflict',
              Message: 'Transaction is ongoing for the item',
            })),
          },
        );
      }
      throw sdkError('TransactionConflictException', 'injected: Transaction is ongoing for the item');
    }
  }
};

/** Add the (dormant) fault middleware to a document client; it acts only inside `withFaults`. */
export const installFaults = (doc: DynamoDBDocumentClient): void => {
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const scope = scopes.getStore();
      if (scope === undefined) return next(args);
      const index = scope.calls.length;
      const command = context.commandName ?? 'unknown';
      scope.calls.push(command);
      const fault = scope.fault;
      if (fault === undefined || fault.at !== index || !applies(fault.kind, command)) return next(args);
      scope.injected += 1;
      return inject(fault.kind, command, args.input, () => next(args));
    },
    { step: 'initialize', name: 'chaos-faults', priority: 'high' },
  );
};

export interface FaultRun<T> {
  value: T;
  /** The SDK commands the operation sent (or tried to), in order. */
  calls: string[];
  /** How many faults were injected (0 or 1). */
  injected: number;
}

/** Run `operation` with its store calls counted, and `fault` (if any) injected at its call. */
export const withFaults = async <T>(
  fault: Fault | undefined,
  operation: () => Promise<T>,
): Promise<FaultRun<T>> => {
  const scope: Scope = { calls: [], injected: 0, ...(fault === undefined ? {} : { fault }) };
  const value = await scopes.run(scope, operation);
  return { value, calls: scope.calls, injected: scope.injected };
};

/** Leave any fault scope: what `operation` does is not counted (readers, checks). */
export const outsideFaults = <T>(operation: () => Promise<T>): Promise<T> => scopes.exit(operation);
