import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedDistance, closest, suggestionThreshold } from '#domain/core/suggest.ts';

/** Plain Levenshtein, the reference the bounded version must agree with. */
const levenshtein = (a: string, b: string): number => {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const next = [i];
    for (let j = 1; j <= b.length; j += 1) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
};

const keys = ['payments.checkout.timeoutMs', 'payments.checkout.retryBudgetMs', 'payments.checkout.mode'];

describe('closest', () => {
  it.each([
    ['a dropped letter', 'payments.checkout.timoutMs', 'payments.checkout.timeoutMs'],
    ['a swapped pair', 'payments.checkout.tiemoutMs', 'payments.checkout.timeoutMs'],
    ['a wrong case', 'payments.checkout.TimeoutMs', 'payments.checkout.timeoutMs'],
    ['an exact match', 'payments.checkout.mode', 'payments.checkout.mode'],
    ['something unrelated', 'identity.session.ttl', undefined],
    ['a short input far from everything', 'x', undefined],
  ])('suggests for %s', (_, input, expected) => {
    expect(closest(input, keys)).toBe(expected);
  });

  it('prefers the strictly closer of two candidates, else the first seen', () => {
    expect(closest('abcdefgh', ['abcdefxx', 'abcdefgx'])).toBe('abcdefgx');
    expect(closest('abcdefgh', ['abcdefgx', 'abcdefxh'])).toBe('abcdefgx');
  });

  it('accepts any iterable, e.g. map keys', () => {
    expect(closest('dev', new Map([['dex', 1]]).keys())).toBe('dex');
  });

  it('stays fast for 10,000 candidates', () => {
    const candidates = Array.from({ length: 10_000 }, (_, i) => `ns${i % 10}.group${i % 97}.parameter${i}`);
    const start = performance.now();
    for (let i = 0; i < 20; i += 1) closest(`ns3.group9.parametr${i * 7}`, candidates);
    // A generous bound: this guards against quadratic blow-ups, not against a slow machine.
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});

describe('suggestionThreshold', () => {
  it.each([
    ['', 1],
    ['abc', 1],
    ['abcdefgh', 2],
    ['a'.repeat(40), 4],
  ])('allows %j %d edits', (input, edits) => {
    expect(suggestionThreshold(input)).toBe(edits);
  });
});

describe('boundedDistance', () => {
  it('equals the Levenshtein distance when within the limit, and limit + 1 otherwise', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.nat(5), (a, b, limit) => {
        const exact = levenshtein(a, b);
        expect(boundedDistance(a, b, limit)).toBe(exact <= limit ? exact : limit + 1);
      }),
    );
  });
});
