import { ConvoyError, isConvoyError } from '../domain/core/errors.ts';

/**
 * The one translator from AWS SDK (DynamoDB) exceptions to Convoy's error vocabulary. Adapters call it
 * for every error they do not interpret themselves. Messages of `unavailable` and `internal` errors are
 * deliberately generic: the SDK error (table names, keys, request ids) travels in `cause` only.
 */

export const UNAVAILABLE_MESSAGE = 'The configuration store is temporarily unavailable; retry the request.';
export const INTERNAL_MESSAGE = 'An internal error occurred in the configuration store.';

/** Server-side and capacity errors: the request may succeed if retried later. */
const transientNames = new Set([
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'TransactionInProgressException',
  'TransactionConflictException',
  'ReplicatedWriteConflictException',
  'ResourceNotFoundException', // the table is missing or still being created: an operational problem
  'ResourceInUseException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);

/** Node socket errors surface without SDK metadata. */
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const field = (error: unknown, name: string): unknown =>
  typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;

/** The SDK exception name (`ConditionalCheckFailedException`, ...), if the value looks like one. */
export const errorName = (error: unknown): string | undefined => {
  const name = field(error, 'name');
  return typeof name === 'string' ? name : undefined;
};

const isTransient = (error: unknown): boolean => {
  const name = errorName(error);
  if (name !== undefined && transientNames.has(name)) return true;
  if (field(error, '$fault') === 'server' || field(error, '$retryable') !== undefined) return true;
  const code = field(error, 'code');
  return typeof code === 'string' && networkCodes.has(code);
};

export const unavailable = (cause: unknown): ConvoyError =>
  new ConvoyError('unavailable', UNAVAILABLE_MESSAGE, { cause });

export const internal = (cause: unknown): ConvoyError =>
  new ConvoyError('internal', INTERNAL_MESSAGE, { cause });

/** Translate anything thrown by a DynamoDB call. A ConvoyError passes through unchanged. */
export const translateSdkError = (error: unknown): ConvoyError => {
  if (isConvoyError(error)) return error;
  switch (errorName(error)) {
    case 'ConditionalCheckFailedException':
      return new ConvoyError('conflict', 'A concurrent change was made first; re-read and retry.', {
        cause: error,
      });
    case 'IdempotentParameterMismatchException':
      return new ConvoyError('conflict', 'Idempotency-Key reused with a different request.', {
        cause: error,
      });
    case 'TransactionCanceledException': {
      const reasons = field(error, 'CancellationReasons');
      const lostCondition =
        Array.isArray(reasons) && reasons.some((r) => field(r, 'Code') === 'ConditionalCheckFailed');
      return lostCondition
        ? new ConvoyError('conflict', 'A concurrent change was made first; re-read and retry.', {
            cause: error,
          })
        : unavailable(error);
    }
    default:
      return isTransient(error) ? unavailable(error) : internal(error);
  }
};
