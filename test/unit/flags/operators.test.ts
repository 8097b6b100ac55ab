import { describe, expect, it } from 'vitest';
import type { Constraint } from '#domain/flags/constraint.ts';
import { matchConstraint } from '#domain/flags/constraint-match.ts';

const NOW = Date.parse('2026-03-01T00:00:00Z');

/** Edges of Unleash's operator semantics that the golden fixtures do not show. */
describe('constraint operators', () => {
  it.each([
    ['IN trims values and drops empty ones', { operator: 'IN', values: [' a ', ''] }, 'a', true],
    [
      'IN ignores caseInsensitive, as Unleash does',
      { operator: 'IN', values: ['A'], caseInsensitive: true },
      'a',
      false,
    ],
    ['NOT_IN on an absent attribute', { operator: 'NOT_IN', values: ['a'] }, undefined, true],
    [
      'inverted NOT_IN on an absent attribute',
      { operator: 'NOT_IN', values: ['a'], inverted: true },
      undefined,
      false,
    ],
    ['STR_ENDS_WITH', { operator: 'STR_ENDS_WITH', values: ['.dev'] }, 'convoy.dev', true],
    ['STR_* on an absent attribute', { operator: 'STR_CONTAINS', values: [''] }, undefined, false],
    ['NUM_EQ', { operator: 'NUM_EQ', value: '3' }, '3.0', true],
    ['NUM_GTE', { operator: 'NUM_GTE', value: '3' }, '3', true],
    ['NUM_LT', { operator: 'NUM_LT', value: '3' }, '2', true],
    ['NUM_LTE with a value that is no number', { operator: 'NUM_LTE', value: 'x' }, '2', false],
    ['NUM_* on an absent attribute', { operator: 'NUM_EQ', value: '0' }, undefined, false],
    ['DATE_* without value', { operator: 'DATE_AFTER' }, '2026-01-01', false],
    ['SEMVER_EQ', { operator: 'SEMVER_EQ', value: '1.2.3' }, '1.2.3', true],
    ['SEMVER_GT', { operator: 'SEMVER_GT', value: '1.2.3' }, '1.10.0', true],
    ['SEMVER_LTE', { operator: 'SEMVER_LTE', value: '1.2.3' }, '1.2.3-beta', true],
    ['SEMVER_* with a bad literal', { operator: 'SEMVER_EQ', value: '1.2' }, '1.2.0', false],
    ['SEMVER_* without value', { operator: 'SEMVER_EQ' }, '1.2.0', false],
    ['SEMVER_* on an absent attribute', { operator: 'SEMVER_EQ', value: '1.2.0' }, undefined, false],
    ['REGEX caseInsensitive', { operator: 'REGEX', value: '^abc$', caseInsensitive: true }, 'ABC', true],
    ['REGEX the engine refuses', { operator: 'REGEX', value: '(a)\\1' }, 'aa', false],
    ['REGEX without value matches like an empty pattern', { operator: 'REGEX' }, 'x', true],
    ['REGEX on an absent attribute', { operator: 'REGEX', value: '' }, undefined, false],
    ['IN_CIDR one address', { operator: 'IN_CIDR', values: ['10.0.0.1'] }, '10.0.0.1', true],
    ['IN_CIDR never mixes IPv4 and IPv6', { operator: 'IN_CIDR', values: ['::/0'] }, '10.0.0.1', false],
    ['IN_CIDR refuses legacy IPv4 forms', { operator: 'IN_CIDR', values: ['0.0.0.0/0'] }, '127.1', false],
    [
      'IN_CIDR with a prefix that is no number',
      { operator: 'IN_CIDR', values: ['10.0.0.0/x'] },
      '10.0.0.1',
      false,
    ],
    ['IN_CIDR on an absent attribute', { operator: 'IN_CIDR', values: ['0.0.0.0/0'] }, undefined, false],
    ['an unknown operator never matches', { operator: 'LIKE', values: [] }, 'x', false],
  ])('%s', (_, fields, attribute, expected) => {
    const constraint = { attribute: 'a', ...fields } as Constraint;
    const context = attribute === undefined ? {} : { a: attribute };
    expect(matchConstraint(constraint, context, NOW)).toBe(expected);
  });

  it('attributes: numbers and booleans are text, objects and null absent', () => {
    const constraint: Constraint = { attribute: 'a', operator: 'IN', values: ['true', '1'] };
    expect(matchConstraint(constraint, { a: true }, NOW)).toBe(true);
    expect(matchConstraint(constraint, { a: 1 }, NOW)).toBe(true);
    expect(matchConstraint({ ...constraint, operator: 'NOT_IN' }, { a: { b: 1 } }, NOW)).toBe(true);
    expect(matchConstraint({ ...constraint, operator: 'NOT_IN' }, { a: null }, NOW)).toBe(true);
  });
});
