import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, pickSplit } from '#domain/flags/bucket.ts';
import type { FlagEnvironment } from '#domain/flags/evaluate.ts';
import { evaluate } from '#domain/flags/evaluate.ts';
import type { Flag } from '#domain/flags/flag.ts';
import { flagDefinitionSchema } from '#domain/flags/flag.ts';
import { UNLEASH_VARIANT_SEED } from '#domain/flags/unleash-import.ts';

// unleash-client's own normalisation, to check Convoy buckets exactly as it does.
const unleash = createRequire(import.meta.url)('unleash-client/lib/strategy/util.js') as {
  normalizedStrategyValue: (id: string, groupId: string) => number;
  normalizedVariantValue: (id: string, groupId: string, normalizer: number) => number;
};

const env: FlagEnvironment = { flags: {}, segments: {}, now: 0 };
const splitFlag = (split: { variant: string; weight: number }[]): Flag => ({
  ...flagDefinitionSchema.parse({
    type: 'string',
    enabled: true,
    variants: { a: 'a', b: 'b', c: 'c' },
    defaultVariant: 'a',
    offVariant: 'a',
    rules: [{ rollout: { split } }],
  }),
  key: 'exp',
});

describe('bucketing', () => {
  it("is unleash-client's normalisation: strategies (seed 0, 100) and variants (seed 86028157, total weight)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 1, max: 10_000 }), (id, groupId, total) => {
        expect(bucketOf(id, groupId, 0, 100) + 1).toBe(unleash.normalizedStrategyValue(id, groupId));
        expect(bucketOf(id, groupId, UNLEASH_VARIANT_SEED, total) + 1).toBe(
          unleash.normalizedVariantValue(id, groupId, total),
        );
      }),
    );
  });

  it('picks the entry whose cumulative range holds the bucket', () => {
    const split = [
      { variant: 'a', weight: 200 },
      { variant: 'b', weight: 0 },
      { variant: 'c', weight: 800 },
    ];
    expect(pickSplit(split, 0)?.variant).toBe('a');
    expect(pickSplit(split, 199)?.variant).toBe('a');
    expect(pickSplit(split, 200)?.variant).toBe('c');
    expect(pickSplit(split, 999)?.variant).toBe('c');
    expect(pickSplit(split, 1000)).toBeUndefined();
  });

  it("is sticky: growing a variant's weight never moves a context out of it", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 2 }),
        (key, first, grow, index) => {
          // Three entries; entry `index` grows by `grow`, taken from the entries after it (or before, for the last).
          const a = Math.min(first, 1000);
          const weights = [a, Math.floor((1000 - a) / 2), 1000 - a - Math.floor((1000 - a) / 2)];
          const grown = [...weights];
          const donors = index === 2 ? [1, 0] : [index + 1, index + 2].filter((d) => d < 3);
          let left = grow;
          for (const d of donors) {
            const take = Math.min(left, grown[d] as number);
            grown[d] = (grown[d] as number) - take;
            grown[index] = (grown[index] as number) + take;
            left -= take;
          }
          const names = ['a', 'b', 'c'];
          const before = evaluate(
            splitFlag(weights.map((weight, i) => ({ variant: names[i] as string, weight }))),
            { targetingKey: key },
            env,
          );
          const after = evaluate(
            splitFlag(grown.map((weight, i) => ({ variant: names[i] as string, weight }))),
            { targetingKey: key },
            env,
          );
          if (before.variant === names[index]) expect(after.variant).toBe(names[index]);
        },
      ),
    );
  });

  it('serves each variant its share within 1% over 100,000 random contexts', () => {
    const split = [
      { variant: 'a', weight: 125 },
      { variant: 'b', weight: 375 },
      { variant: 'c', weight: 500 },
    ];
    const flag = splitFlag(split);
    const counts = new Map<string, number>();
    const keys = fc.sample(fc.uuid(), { numRuns: 100_000, seed: 11 });
    for (const targetingKey of keys) {
      const { variant } = evaluate(flag, { targetingKey }, env);
      counts.set(variant as string, (counts.get(variant as string) ?? 0) + 1);
    }
    for (const { variant, weight } of split) {
      expect(Math.abs((counts.get(variant) ?? 0) / keys.length - weight / 1000)).toBeLessThan(0.01);
    }
  });
});
