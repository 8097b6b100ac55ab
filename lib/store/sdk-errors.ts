import { ConvoyError, isConvoyError } from '#domain/core/errors.ts';
import {
  awsErrorName,
  isTransientSdkError,
  sdkField,
  unavailableError,
} from '#integrations/aws-error-kinds.ts';

/**
 * The one translator from AWS SDK (DynamoDB) exceptions to Convoy's error vocabulary. Adapters call it
 * for every error they do not interpret themselves. Messages of `unavailable` and `internal` errors are
 * deliberately generic: the SDK error (table names, keys, request ids) travels in `cause` only. The
 * classification shared with the integration services lives in lib/integrations/aws-error-kinds.ts.
 */

const STORE = 'The configuration store';
export const UNAVAILABLE_MESSAGE = `${STORE} is temporarily unavailable; retry the request.`;
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

/** The SDK exception name (`ConditionalCheckFailedException`, ...), if the value looks like one. */
export const errorName = awsErrorName;

export const unavailable = (cause: unknown): ConvoyError => unavailableError(STORE, cause);

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
      const reasons = sdkField(error, 'CancellationReasons');
      const lostCondition =
        Array.isArray(reasons) && reasons.some((r) => sdkField(r, 'Code') === 'ConditionalCheckFailed');
      return lostCondition
        ? new ConvoyError('conflict', 'A concurrent change was made first; re-read and retry.', {
            cause: error,
          })
        : unavailable(error);
    }
    default:
      return isTransientSdkError(error, transientNames) ? unavailable(error) : internal(error);
  }
};
