import { describe, expect, it } from 'vitest';
import { keyMatcher } from '#domain/dependencies/key-patterns.ts';

const keys = [
  'payments.checkout.a',
  'payments.checkout.b.c',
  'payments.fraud.x',
  'search.q',
  'pay.x',
  'paymentsx.y',
];

describe('keyMatcher', () => {
  const match = keyMatcher([...keys, 'search.q']);
  it.each<[string, string[]]>([
    ['payments.checkout.*', ['payments.checkout.a']],
    ['payments.checkout.**', ['payments.checkout.a', 'payments.checkout.b.c']],
    ['payments.*.x', ['payments.fraud.x']],
    ['pay*.*', ['pay.x', 'paymentsx.y']],
    ['*.x', ['pay.x']],
    ['**', [...keys].sort()],
    ['search.q', ['search.q']],
    ['search.missing', []],
    ['zzz.*', []],
  ])('%s → %j', (pattern, expected) => {
    expect(match(pattern)).toEqual(expected);
  });
});
