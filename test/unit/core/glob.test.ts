import { describe, expect, it } from 'vitest';
import { globMatch, isGlob } from '#domain/core/glob.ts';

describe('globMatch', () => {
  it.each([
    ['payments.checkout.*', 'payments.checkout.timeoutMs', true],
    ['payments.checkout.*', 'payments.checkout.limits.max', false],
    ['payments.checkout.*', 'payments.checkoutx', false],
    ['payments.**', 'payments.checkout.limits.max', true],
    ['payments.**', 'identity.session.ttl', false],
    ['*.checkout.*', 'payments.checkout.mode', true],
    ['prod-*', 'prod-eu', true],
    ['prod-*', 'staging', false],
    ['prod-*', 'prod-', true],
    ['dev', 'dev', true],
    ['dev', 'devx', false],
    ['a+b(c)', 'a+b(c)', true],
    ['a?c', 'abc', false],
    ['[ab]', 'a', false],
    ['x\\*', 'x\\y', true],
  ])('%s vs %s → %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });

  it.each([
    ['*', 'olivia@example.com', true],
    ['*', 'arn:aws:sts::123456789012:assumed-role/Deployer/ci.run', true],
    [
      'arn:aws:sts::123456789012:assumed-role/Deployer/*',
      'arn:aws:sts::123456789012:assumed-role/Deployer/ci.run',
      true,
    ],
    [
      'arn:aws:sts::123456789012:assumed-role/Deployer/*',
      'arn:aws:sts::123456789012:assumed-role/Admin/x',
      false,
    ],
  ])('with no separator, %s vs %s → %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text, '')).toBe(expected);
  });

  it('keeps working after its cache fills', () => {
    for (let i = 0; i < 1_100; i += 1) expect(globMatch(`k${i}.*`, `k${i}.x`)).toBe(true);
    expect(globMatch('k0.*', 'k0.y')).toBe(true);
  });

  it('tells globs from literal names', () => {
    expect(isGlob('prod-*')).toBe(true);
    expect(isGlob('prod-eu')).toBe(false);
  });
});
