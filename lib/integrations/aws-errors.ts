import { ConvoyError, isConvoyError } from '#domain/core/errors.ts';
import { awsErrorName, isTransientSdkError, sdkField, unavailableError } from './aws-error-kinds.ts';

/**
 * The translator from AWS SDK exceptions of the integration services (EventBridge, Step Functions,
 * EventBridge Scheduler, AppConfig) to Convoy's error vocabulary. Each adapter interprets the exceptions that mean
 * something for its operation first (e.g. ExecutionAlreadyExists) and hands the rest to this function.
 * The classification shared with the DynamoDB translator lives in aws-error-kinds.ts.
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
  // AppConfig: a binding or content the service refuses (a profile validator, the size limit).
  'BadRequestException',
  'PayloadTooLargeException',
]);

export { awsErrorName };

export const isTransientAwsError = (error: unknown): boolean => {
  if (isTransientSdkError(error, transientNames)) return true;
  const status = sdkField(sdkField(error, '$metadata'), 'httpStatusCode');
  return typeof status === 'number' && status >= 500;
};

/**
 * Translate anything an integration call threw. `service` names the dependency in the message
 * ("The event bus", "The workflow engine", "The scheduler"). A ConvoyError passes through unchanged.
 */
export const translateAwsError = (service: string, error: unknown): ConvoyError => {
  if (isConvoyError(error)) return error;
  const name = awsErrorName(error);
  if (isTransientAwsError(error)) {
    return unavailableError(service, error, { service, awsError: name ?? 'unknown' });
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
