import { ConvoyError } from '#domain/core/errors.ts';

/**
 * The classification shared by every translator of AWS SDK exceptions (lib/store/sdk-errors.ts for
 * DynamoDB, lib/integrations/aws-errors.ts for EventBridge, Step Functions and the Scheduler): how to
 * read an SDK error's name and fields, which errors are transient (throttling, server faults, network
 * failures), and the generic `unavailable` error they become. Each translator brings its own set of
 * transient exception names and interprets its service-specific exceptions itself.
 */

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

/** A property of an SDK error (or of anything else), without trusting its shape. */
export const sdkField = (error: unknown, name: string): unknown =>
  typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;

/** The SDK exception name (`ThrottlingException`, ...), if the value looks like one. */
export const awsErrorName = (error: unknown): string | undefined => {
  const name = sdkField(error, 'name');
  return typeof name === 'string' ? name : undefined;
};

/**
 * Retrying later may succeed: the exception is one of the service's `transientNames`, the SDK marks it
 * a server fault or retryable, or a socket failed.
 */
export const isTransientSdkError = (error: unknown, transientNames: ReadonlySet<string>): boolean => {
  const name = awsErrorName(error);
  if (name !== undefined && transientNames.has(name)) return true;
  if (sdkField(error, '$fault') === 'server' || sdkField(error, '$retryable') !== undefined) return true;
  const code = sdkField(error, 'code');
  return typeof code === 'string' && networkCodes.has(code);
};

/**
 * The generic `unavailable` error for a transient failure of `service` ("The scheduler", ...). The
 * message names no resource; the SDK error travels in `cause` only.
 */
export const unavailableError = (
  service: string,
  cause: unknown,
  context?: Record<string, unknown>,
): ConvoyError =>
  new ConvoyError('unavailable', `${service} is temporarily unavailable; retry the request.`, {
    cause,
    context,
  });
