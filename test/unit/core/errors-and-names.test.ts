import { describe, expect, it } from 'vitest';
import {
  badRequest,
  conflict,
  ConvoyError,
  forbidden,
  isConvoyError,
  notFound,
  validationFailed,
} from '#domain/core/errors.ts';
import { isJsonObject } from '#domain/core/json.ts';
import { formatBundleRef, namespaceOf } from '#domain/core/names.ts';
import { hasErrors, problem } from '#domain/core/problem.ts';
import { deploymentId, parseDeploymentId } from '#domain/environments/head.ts';

describe('ConvoyError', () => {
  it.each([
    [
      'bad-request',
      badRequest('bad', [problem('field.type', 'expected string')]),
      { problems: 1, context: {} },
    ],
    [
      'validation-failed',
      validationFailed('invalid', [problem('value.invalid', 'no')]),
      { problems: 1, context: {} },
    ],
    ['forbidden', forbidden('no', { principal: 'p' }), { problems: 0, context: { principal: 'p' } }],
    ['not-found', notFound('gone', { id: 'x' }), { problems: 0, context: { id: 'x' } }],
    ['conflict', conflict('raced', { head: 1 }), { problems: 0, context: { head: 1 } }],
    ['forbidden', forbidden('no'), { problems: 0, context: {} }],
    ['not-found', notFound('gone'), { problems: 0, context: {} }],
    ['conflict', conflict('raced'), { problems: 0, context: {} }],
    ['bad-request', badRequest('bad'), { problems: 0, context: {} }],
  ] as const)('builds %s errors', (code, error, shape) => {
    expect(error).toBeInstanceOf(ConvoyError);
    expect(error).toMatchObject({ code, name: 'ConvoyError', context: shape.context });
    expect(error.problems).toHaveLength(shape.problems);
    expect(isConvoyError(error)).toBe(true);
  });

  it('keeps its cause', () => {
    const cause = new Error('root');
    expect(new ConvoyError('unavailable', 'retry', { cause }).cause).toBe(cause);
    expect(new ConvoyError('internal', 'no cause').cause).toBeUndefined();
  });

  it('tells other errors apart', () => {
    expect(isConvoyError(new Error('x'))).toBe(false);
  });
});

describe('problems', () => {
  it('counts only errors, not warnings', () => {
    expect(hasErrors([{ ...problem('a', 'm'), severity: 'warning' }])).toBe(false);
    expect(hasErrors([problem('a', 'm', { key: 'k', path: 'p' })])).toBe(true);
  });
});

describe('names', () => {
  it.each([
    ['payments.checkout.timeoutMs', 'payments'],
    ['payments', 'payments'],
  ])('the namespace of %s is %s', (key, namespace) => {
    expect(namespaceOf(key)).toBe(namespace);
  });

  it('formats bundle references', () => {
    expect(formatBundleRef({ name: 'checkout-timeouts', version: '3' })).toBe('checkout-timeouts@3');
  });
});

describe('isJsonObject', () => {
  it.each([
    [{}, true],
    [[], false],
    [null, false],
    ['x', false],
  ])('%j → %s', (value, expected) => {
    expect(isJsonObject(value)).toBe(expected);
  });
});

describe('deployment ids', () => {
  it.each([
    ['dpl-prod-eu-12', { environment: 'prod-eu', headVersion: 12 }],
    ['dpl-dev-1', { environment: 'dev', headVersion: 1 }],
    ['dpl--1', undefined],
    ['dpl-dev-x', undefined],
    ['deploy-dev-1', undefined],
  ])('%s parses to %j', (id, parsed) => {
    expect(parseDeploymentId(id)).toEqual(parsed);
  });

  it('round-trips', () => {
    expect(parseDeploymentId(deploymentId('prod-us', 7))).toEqual({ environment: 'prod-us', headVersion: 7 });
  });
});
