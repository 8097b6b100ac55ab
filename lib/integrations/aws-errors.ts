import { ConvoyError, isConvoyError } from '../domain/core/errors.ts';

/**
 * The translator from AWS SDK exceptions of the integration services (EventBridge, Step Functions,
 * EventBridge Scheduler) to Convoy's error vocabulary. Each adapter interprets the exceptions that mean
 * something for its operation first (e.g. ExecutionAlreadyExists) and hands the rest to this function.
 * Messages stay generic; the SDK error (ARNs, request ids) travels in `cause` only.
 */

/** Throttling, capacity and server-side errors: retrying later may succeed. */
const transientNames = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'LimitExceededException',
  'ServiceQuotaExceededException',
  'InternalException',
  'InternalFailure',
  'InternalServerException',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
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

/** Our own configuration or permissions are wrong: an operator must act, retrying will not help. */
const misconfiguredNames = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'StateMachineDoesNotExist',
  'StateMachineDeleting',
  'InvalidArn',
  'ResourceNotFoundException',
  'ValidationException',
  'InvalidName',
  'InvalidExecutionInput',
  'InvalidOutput',
]);

const field = (error: unknown, name: string): unknown =>
  typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;

/** The SDK exception name, if the value looks like one. */
export const awsErrorName = (error: unknown): string | undefined => {
  const name = field(error, 'name');
  return typeof name === 'string' ? name : undefined;
};

export const isTransientAwsError = (error: unknown): boolean => {
  const name = awsErrorName(error);
  if (name !== undefined && transientNames.has(name)) return true;
  const metadata = field(error, '$metadata');
  if (field(error, '$fault') === 'server' || field(error, '$retryable') !== undefined) return true;
  if (
    typeof field(metadata, 'httpStatusCode') === 'number' &&
    (field(metadata, 'httpStatusCode') as number) >= 500
  )
    return true;
  const code = field(error, 'code');
  return typeof code === 'string' && networkCodes.has(code);
};

/**
 * Translate anything an integration call threw. `service` names the dependency in the message
 * ("The event bus", "The workflow engine", "The scheduler"). A ConvoyError passes through unchanged.
 */
export const translateAwsError = (service: string, error: unknown): ConvoyError => {
  if (isConvoyError(error)) return error;
  const name = awsErrorName(error);
  if (isTransientAwsError(error)) {
    return new ConvoyError('unavailable', `${service} is temporarily unavailable; retry the request.`, {
      cause: error,
      context: { service, awsError: name ?? 'unknown' },
    });
  }
  const misconfigured = name !== undefined && misconfiguredNames.has(name);
  return new ConvoyError(
    'internal',
    misconfigured
      ? `${service} refused the call (${name}): check the deployment's configuration and permissions.`
      : `${service} failed unexpectedly.`,
    { cause: error, context: { service, awsError: name ?? 'unknown' } },
  );
};
