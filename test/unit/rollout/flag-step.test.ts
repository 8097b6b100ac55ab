import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '#domain/core/json.ts';
import { planFlagStep } from '#domain/environments/plan-flag-step.ts';
import {
  flagStepSchema,
  rampDefinition,
  rampPercent,
  rampTarget,
  rampWeight,
} from '#domain/rollout/flag-step.ts';
import { validateStrategy } from '#domain/rollout/validate-strategy.ts';
import { RAMP_FLAG, rampFlagDefinition, servedOn } from '../../support/flag-ramp.ts';
import { catalog, standardInput } from './fixtures.ts';

const flagCatalog = { ...catalog, flags: [{ key: RAMP_FLAG, type: 'boolean' as const }] };
const step = (name: string, environments: string[], percent: number, extra = {}) => ({
  name,
  environments,
  bake: 'PT10M',
  flag: { key: RAMP_FLAG, percent },
  ...extra,
});
const withPhases = (phases: unknown[]) => ({ ...standardInput(), phases });
const rollout = (split: JsonValue, more: JsonObject = {}): JsonObject => ({
  ...rampFlagDefinition,
  rules: [rampFlagDefinition.rules[0] as JsonValue, { rollout: { split, ...more } }],
});
const twoRules = {
  ...rampFlagDefinition,
  rules: [...rampFlagDefinition.rules, rampFlagDefinition.rules[1] as JsonValue],
};
const codesWith = (doc: unknown, definitions?: Record<string, Record<string, JsonValue>>) =>
  validateStrategy(doc, flagCatalog, definitions).problems.map((p) => [p.code, p.path]);

describe('strategy validation of flag phases', () => {
  it('accepts a ramp after a bundle phase in the same environment, and repeated flag phases', () => {
    const doc = withPhases([
      { name: 'eu', environments: ['prod-eu'], bake: 'PT10M' },
      step('eu-1', ['prod-eu'], 1),
      step('eu-5', ['prod-eu'], 5),
      step('eu-25', ['prod-eu'], 25),
      step('eu-100', ['prod-eu'], 100),
    ]);
    expect(
      validateStrategy(doc, flagCatalog, { 'prod-eu': { [RAMP_FLAG]: rampFlagDefinition } }),
    ).toMatchObject({
      ok: true,
      problems: [],
    });
  });

  it.each<[string, unknown, Record<string, Record<string, JsonValue>> | undefined, string[][]]>([
    [
      'a decreasing percent',
      withPhases([step('a', ['dev'], 5), step('b', ['dev'], 1)]),
      undefined,
      [['strategy.flag-percent-decreases', 'phases[1].flag.percent']],
    ],
    [
      'a repeated percent',
      withPhases([step('a', ['dev'], 5), step('b', ['dev'], 5)]),
      undefined,
      [['strategy.flag-percent-decreases', 'phases[1].flag.percent']],
    ],
    [
      'an unknown flag',
      withPhases([{ ...step('a', ['dev'], 5), flag: { key: 'payments.x.y', percent: 5 } }]),
      undefined,
      [['strategy.flag-unknown', 'phases[0].flag.key']],
    ],
    [
      'a flag phase with a percentage',
      withPhases([step('a', ['prod-eu'], 5, { percentage: 10 })]),
      undefined,
      [['strategy.flag-with-percentage', 'phases[0].flag']],
    ],
    [
      'no definition',
      withPhases([step('a', ['dev'], 5)]),
      { dev: {} },
      [['strategy.flag-undefined', 'phases[0].flag.key']],
    ],
    [
      'an invalid definition',
      withPhases([step('a', ['dev'], 5)]),
      { dev: { [RAMP_FLAG]: { type: 'boolean' } } },
      [['strategy.flag-invalid', 'phases[0].flag.key']],
    ],
    [
      'two rollout rules',
      withPhases([step('a', ['dev'], 5)]),
      { dev: { [RAMP_FLAG]: twoRules } },
      [['strategy.flag-rollout-rule', 'phases[0].flag.key']],
    ],
    [
      'no rollout rule',
      withPhases([step('a', ['dev'], 5)]),
      { dev: { [RAMP_FLAG]: { ...rampFlagDefinition, rules: [] } } },
      [['strategy.flag-rollout-rule', 'phases[0].flag.key']],
    ],
    [
      'three variants',
      withPhases([step('a', ['dev'], 5)]),
      {
        dev: {
          [RAMP_FLAG]: rollout([
            { variant: 'on', weight: 1 },
            { variant: 'off', weight: 998 },
            { variant: 'on', weight: 1 },
          ]),
        },
      },
      [['strategy.flag-ambiguous-target', 'phases[0].flag.key']],
    ],
    [
      'no off variant',
      withPhases([step('a', ['dev'], 5)]),
      {
        dev: {
          [RAMP_FLAG]: rollout([
            { variant: 'on', weight: 1 },
            { variant: 'on', weight: 999 },
          ]),
        },
      },
      [['strategy.flag-ambiguous-target', 'phases[0].flag.key']],
    ],
    [
      'a percent finer than the buckets',
      withPhases([step('a', ['dev'], 0.5)]),
      {
        dev: {
          [RAMP_FLAG]: rollout(
            [
              { variant: 'on', weight: 0 },
              { variant: 'off', weight: 100 },
            ],
            { buckets: 100 },
          ),
        },
      },
      [['strategy.flag-percent-granularity', 'phases[0].flag.percent']],
    ],
  ])('refuses %s', (_label, doc, definitions, expected) => {
    expect(codesWith(doc, definitions)).toEqual(expected);
  });

  it('refuses percents out of range or finer than 0.1', () => {
    for (const percent of [0, -1, 101, 0.05])
      expect(flagStepSchema.safeParse({ key: RAMP_FLAG, percent }).success).toBe(false);
    expect(flagStepSchema.safeParse({ key: RAMP_FLAG, percent: 0.1 }).success).toBe(true);
  });
});

describe('ramping a definition', () => {
  it('targets the variant that is not the off variant, in either order', () => {
    expect(rampTarget(RAMP_FLAG, rampFlagDefinition)).toEqual({
      ok: true,
      ruleIndex: 1,
      target: 'on',
      off: 'off',
      buckets: 1000,
    });
    const reversed = rollout([
      { variant: 'off', weight: 1000 },
      { variant: 'on', weight: 0 },
    ]);
    const ramped = rampDefinition(RAMP_FLAG, reversed, 25);
    expect(ramped).toEqual({
      ok: true,
      definition: rollout([
        { variant: 'off', weight: 750 },
        { variant: 'on', weight: 250 },
      ]),
    });
    expect(rampPercent(RAMP_FLAG, ramped.ok ? ramped.definition : null)).toBe(25);
    expect(rampPercent(RAMP_FLAG, undefined)).toBeUndefined();
    expect(rampWeight(2.5, 100)).toBeUndefined();
    expect(rampDefinition(RAMP_FLAG, twoRules, 5)).toMatchObject({
      ok: false,
      code: 'strategy.flag-rollout-rule',
    });
    expect(
      rampDefinition(
        RAMP_FLAG,
        rollout(
          [
            { variant: 'on', weight: 0 },
            { variant: 'off', weight: 100 },
          ],
          { buckets: 100 },
        ),
        0.5,
      ),
    ).toMatchObject({ ok: false, code: 'strategy.flag-percent-granularity' });
  });

  it('is sticky: a context served the target at p is served it at every q > p (10,000 contexts, real evaluator)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.boolean(),
        (a, b, reversed) => {
          const [low, high] = a < b ? [a / 10, b / 10] : [b / 10, (a + 1) / 10];
          const base = reversed
            ? rollout([
                { variant: 'off', weight: 1000 },
                { variant: 'on', weight: 0 },
              ])
            : rampFlagDefinition;
          const at = (p: number) => {
            const r = rampDefinition(RAMP_FLAG, base, p);
            if (!r.ok) throw new Error(r.message);
            return servedOn(r.definition, 10_000);
          };
          const before = at(low);
          const after = at(high);
          return [...before].every((key) => after.has(key)) && before.size <= after.size;
        },
      ),
      { numRuns: 8 },
    );
  });
});

describe('planFlagStep', () => {
  const head = { environment: 'dev', version: 4, snapshot: 'old', audit: { seq: 1, hash: 'h' } };
  const snapshot = {
    values: { [RAMP_FLAG]: rampFlagDefinition as JsonValue, 'payments.a.b': 1 },
    bundles: [],
  };
  const input = {
    environment: 'dev',
    head,
    snapshot,
    flag: { key: RAMP_FLAG, percent: 5 },
    rollout: { id: 'ro-1', phase: 'dev-5' },
    principal: 'workflow',
    at: '2026-11-23T10:00:00.000Z',
  };

  it('changes only the flag, recorded as a flag-step with a FlagStepped audit event', () => {
    const plan = planFlagStep({ ...input, idempotencyKey: 'k' });
    if (!plan.ok) throw new Error('expected a plan');
    expect(plan.next.values['payments.a.b']).toBe(1);
    expect(plan.deployment).toMatchObject({
      id: 'dpl-dev-5',
      kind: 'flag-step',
      flag: { key: RAMP_FLAG, percent: 5 },
      previousSnapshot: 'old',
      idempotencyKey: 'k',
    });
    expect(plan.audit).toMatchObject({
      type: 'FlagStepped',
      detail: { flag: RAMP_FLAG, percent: 5, rolloutId: 'ro-1', phase: 'dev-5' },
    });
    // The same step again, from the snapshot it produced: nothing changes.
    const again = planFlagStep({ ...input, head: { ...head, snapshot: plan.nextHash }, snapshot: plan.next });
    expect(again).toMatchObject({ ok: false, reason: 'already-deployed' });
    expect(planFlagStep(input).ok && planFlagStep(input)).toMatchObject({
      deployment: { kind: 'flag-step' },
    });
  });

  it('refuses a flag it cannot ramp', () => {
    expect(planFlagStep({ ...input, snapshot: { values: {}, bundles: [] } })).toMatchObject({
      ok: false,
      reason: 'invalid',
      problems: [{ code: 'strategy.flag-undefined', key: RAMP_FLAG }],
    });
  });
});
