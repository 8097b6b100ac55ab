import { describe, expect, it } from 'vitest';
import { dimensionApplies, globList, globProblem } from '#domain/freeze/scope-match.ts';

describe('scope globs', () => {
  it.each([
    ['prod-*', 'prod-eu', true],
    ['prod-*', 'prod-', true],
    ['prod-*', 'staging', false],
    ['prod-*', 'prod-eu.canary', false],
    ['prod-**', 'prod-eu.canary', true],
    ['*', 'anything', true],
    ['**', 'a.b.c', true],
    ['payments', 'payments', true],
    ['payments', 'payments2', false],
    ['pay.ments', 'payXments', false],
    ['flag*', 'flag-kill-switch', true],
    ['*-phase', 'rollout-phase', true],
  ])('%s matches %s: %s', (pattern, text, expected) => {
    expect(globList([pattern])?.(text)).toBe(expected);
  });

  it.each([
    ['prod-*', null],
    ['a b', 'is not a glob'],
    ['', 'is not a glob'],
    ['[abc]', 'is not a glob'],
    ['***', 'three stars'],
    ['x'.repeat(129), 'is not a glob'],
  ])('%j: %s', (pattern, message) => {
    const found = globProblem(pattern);
    if (message === null) expect(found).toBeNull();
    else expect(found).toContain(message);
  });

  it.each([
    ['an absent scope applies to everything', undefined, ['x'], true],
    ['unknown values: a scoped window applies', ['prod-*'], undefined, true],
    ['no values touched: it does not', ['prod-*'], [], false],
    ['one value matches', ['prod-*'], ['dev', 'prod-eu'], true],
    ['none matches', ['prod-*'], ['dev'], false],
  ])('%s', (_, patterns, values, expected) => {
    expect(dimensionApplies(globList(patterns), values)).toBe(expected);
  });
});
