import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash, exceedsDepth } from '#domain/core/json.ts';

/** The same value with every object's keys inserted in a shuffled order. */
const shuffled = (value: unknown, seed: number): unknown => {
  if (Array.isArray(value)) return value.map((item, i) => shuffled(item, seed + i));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const order = entries.map((entry, i) => ({ entry, rank: Math.sin(seed * 7919 + i * 104_729) }));
  order.sort((a, b) => a.rank - b.rank);
  return Object.fromEntries(order.map(({ entry: [k, v] }, i) => [k, shuffled(v, seed + i)]));
};

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: [true, null, 'x'] }, '{"a":[true,null,"x"],"b":1}'],
    [{ a: undefined, b: 1 }, '{"b":1}'],
    [{ a: undefined }, '{}'],
    [{}, '{}'],
    [[], '[]'],
    [[undefined], '[null]'],
    [{ '10': 1, '9': 2, b: 3, B: 4 }, '{"10":1,"9":2,"B":4,"b":3}'],
    [{ 'quote"key': 'line\nbreak' }, '{"quote\\"key":"line\\nbreak"}'],
    [undefined, 'null'],
  ])('%j → %s', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it('is stable under key order, so the content hash is too', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        expect(canonicalJson(shuffled(value, seed))).toBe(canonicalJson(value));
        expect(contentHash(shuffled(value, seed))).toBe(contentHash(value));
      }),
    );
  });

  it('is JSON that parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('keeps many distinct keys apart (the quoting cache is bounded, not lossy)', () => {
    const wide = Object.fromEntries(Array.from({ length: 12_000 }, (_, i) => [`k${i}`, i]));
    expect(JSON.parse(canonicalJson(wide))).toEqual(wide);
  });
});

describe('exceedsDepth', () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 'leaf';
    for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? [value] : { v: value };
    return value;
  };

  it.each([
    [nested(0), 0, false],
    [nested(1), 0, true],
    [nested(3), 3, false],
    [nested(4), 3, true],
  ])('%j deeper than %d → %s', (value, max, expected) => {
    expect(exceedsDepth(value, max)).toBe(expected);
  });

  it('terminates on cyclic objects', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(exceedsDepth(cyclic)).toBe(true);
  });
});
