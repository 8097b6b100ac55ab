import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constraintOperators } from '#domain/flags/constraint.ts';
import type { FlagEnvironment } from '#domain/flags/evaluate.ts';
import { evaluateKey } from '#domain/flags/evaluate.ts';
import type { FlagDefinition } from '#domain/flags/flag.ts';

const keys = ['f0', 'f1', 'f2', 'f3'];
const names = ['on', 'off', 'x', 'y'];
const attributes = ['targetingKey', 'userId', 'version', 'ip', 'currentTime', 'n'];
const literal = fc.oneof(
  fc.string(),
  fc.constantFrom('1.2.3', '10.0.0.0/8', '::1', '2026-01-01', '42', '^a+$', '(?=x)', '[', 'v1.0.0'),
);

const constraint = fc.record(
  {
    attribute: fc.constantFrom(...attributes),
    operator: fc.constantFrom(...constraintOperators),
    values: fc.array(literal, { maxLength: 3 }),
    value: literal,
    inverted: fc.boolean(),
    caseInsensitive: fc.boolean(),
  },
  { requiredKeys: ['attribute', 'operator'] },
);

const bucketing = {
  stickiness: fc.oneof(
    fc.constantFrom(...attributes),
    fc.array(fc.constantFrom(...attributes), { minLength: 1, maxLength: 2 }),
  ),
  groupId: fc.string(),
  seed: fc.nat(),
  buckets: fc.integer({ min: 1, max: 2000 }),
};

const rule = fc.record(
  {
    constraints: fc.array(constraint, { maxLength: 3 }),
    segments: fc.array(fc.constantFrom('s0', 's1', 'ghost'), { maxLength: 2 }),
    percentage: fc.record({ ...bucketing, weight: fc.nat(2000) }, { requiredKeys: ['weight'] }),
    variant: fc.constantFrom(...names),
    rollout: fc.record(
      {
        ...bucketing,
        split: fc.array(fc.record({ variant: fc.constantFrom(...names), weight: fc.nat(1000) }), {
          minLength: 1,
          maxLength: 3,
        }),
      },
      { requiredKeys: ['split'] },
    ),
  },
  { requiredKeys: ['constraints', 'segments'] },
);

const value = fc.oneof(fc.boolean(), fc.string(), fc.double(), fc.jsonValue());
const definition = fc.record({
  type: fc.constantFrom('boolean', 'string', 'number', 'json'),
  variants: fc.dictionary(fc.constantFrom(...names), value),
  defaultVariant: fc.constantFrom(...names),
  offVariant: fc.constantFrom(...names),
  enabled: fc.boolean(),
  killed: fc.boolean(),
  rules: fc.array(rule, { maxLength: 4 }),
  prerequisites: fc.array(
    fc.record({
      flag: fc.constantFrom(...keys, 'missing'),
      variants: fc.array(fc.constantFrom(...names), { minLength: 1 }),
    }),
    { maxLength: 2 },
  ),
}) as unknown as fc.Arbitrary<FlagDefinition>;

const context = fc.dictionary(
  fc.constantFrom(...attributes, 'other'),
  fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.ipV4(), fc.ipV6(), fc.object()),
);

describe('evaluate: properties', () => {
  it("never throws, and a served value is the served variant's", () => {
    fc.assert(
      fc.property(
        fc.tuple(definition, definition, definition, definition),
        fc.array(constraint, { maxLength: 2 }),
        context,
        fc.integer({ min: -8.64e15, max: 8.64e15 }),
        (definitions, segmentConstraints, ctx, now) => {
          const flags = Object.fromEntries(keys.map((k, i) => [k, definitions[i] as FlagDefinition]));
          const env: FlagEnvironment = {
            flags,
            segments: { s0: { constraints: segmentConstraints }, s1: { constraints: [] } },
            now,
          };
          for (const key of keys) {
            const result = evaluateKey(key, ctx, env);
            if (result.reason === 'ERROR') expect(result.errorMessage).toEqual(expect.any(String));
            else
              expect(result.value).toEqual((flags[key]?.variants as Record<string, unknown>)[result.variant]);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
