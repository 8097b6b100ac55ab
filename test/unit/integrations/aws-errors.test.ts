import { describe, expect, it } from 'vitest';
import { ConvoyError } from '#domain/core/errors.ts';
import { awsErrorName, isTransientAwsError, translateAwsError } from '#integrations/aws-errors.ts';

const named = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} with arn:aws:secret`), { name, ...extra });

describe('translateAwsError', () => {
  it.each([
    ['throttling', named('ThrottlingException')],
    ['a server fault', named('SomethingBroke', { $fault: 'server' })],
    ['a retryable error', named('Odd', { $retryable: { throttling: true } })],
    ['an HTTP 5xx', named('Odd', { $metadata: { httpStatusCode: 503 } })],
    ['a reset socket', Object.assign(new Error('socket'), { code: 'ECONNRESET' })],
  ])('%s is unavailable, safe to retry', (_what, error) => {
    expect(isTransientAwsError(error)).toBe(true);
    const translated = translateAwsError('The scheduler', error);
    expect(translated.code).toBe('unavailable');
    expect(translated.message).toBe('The scheduler is temporarily unavailable; retry the request.');
    expect(translated.cause).toBe(error);
  });

  it('names a refused call as a configuration problem, without the SDK message', () => {
    const translated = translateAwsError('The event bus', named('AccessDeniedException'));
    expect(translated.code).toBe('internal');
    expect(translated.message).toMatch(/AccessDeniedException.*configuration and permissions/);
    expect(translated.message).not.toContain('arn:');
  });

  it('reports anything else as an unexpected internal failure', () => {
    expect(translateAwsError('The event bus', 'boom')).toMatchObject({
      code: 'internal',
      message: 'The event bus failed unexpectedly.',
      context: { awsError: 'unknown' },
    });
    expect(isTransientAwsError(null)).toBe(false);
    expect(awsErrorName({ name: 7 })).toBeUndefined();
  });

  it('passes a ConvoyError through', () => {
    const error = new ConvoyError('conflict', 'lost');
    expect(translateAwsError('The scheduler', error)).toBe(error);
  });
});
