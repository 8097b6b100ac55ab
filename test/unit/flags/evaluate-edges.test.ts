import { describe, expect, it } from 'vitest';
import type { FlagEnvironment } from '#domain/flags/evaluate.ts';
import { evaluate, MAX_PREREQUISITE_DEPTH } from '#domain/flags/evaluate.ts';
import type { Flag, FlagDefinition } from '#domain/flags/flag.ts';
import { flagDefinitionSchema } from '#domain/flags/flag.ts';

const env = (flags: Record<string, FlagDefinition> = {}, segments = {}): FlagEnvironment => ({
  flags,
  segments,
  now: 0,
});
const flag = (key: string, definition: unknown): Flag => ({ ...flagDefinitionSchema.parse(definition), key });

describe('evaluate: definitions that validation would refuse still give a result', () => {
  it.each([
    [
      'an unknown default variant',
      { type: 'boolean', enabled: true, defaultVariant: 'maybe' },
      'PARSE_ERROR',
    ],
    [
      'an unknown segment',
      { type: 'boolean', enabled: true, rules: [{ segments: ['ghost'], variant: 'on' }] },
      'PARSE_ERROR',
    ],
    ['a rule serving nothing', { type: 'boolean', enabled: true, rules: [{}] }, 'PARSE_ERROR'],
    [
      'a split short of its buckets',
      { type: 'boolean', enabled: true, rules: [{ rollout: { split: [{ variant: 'on', weight: 0 }] } }] },
      'PARSE_ERROR',
      { targetingKey: 'k' },
    ],
    [
      'a percentage on the missing targetingKey',
      { type: 'boolean', enabled: true, rules: [{ percentage: { weight: 500 }, variant: 'on' }] },
      'TARGETING_KEY_MISSING',
    ],
  ] as [string, unknown, string, Record<string, unknown>?][])(
    '%s',
    (_, definition, errorCode, context = {}) => {
      const result = evaluate(flag('f', definition), context, env());
      expect(result).toMatchObject({ reason: 'ERROR', errorCode });
    },
  );

  it('a rollout on a custom stickiness the context lacks does not match', () => {
    const f = flag('f', {
      type: 'boolean',
      enabled: true,
      rules: [{ rollout: { stickiness: 'accountId', split: [{ variant: 'on', weight: 1000 }] } }],
    });
    expect(evaluate(f, {}, env())).toMatchObject({ reason: 'DEFAULT', variant: 'off' });
    expect(evaluate(f, { accountId: 'a' }, env())).toMatchObject({
      reason: 'SPLIT',
      variant: 'on',
      ruleIndex: 0,
    });
  });

  it('a segment whose constraints fail does not match; one that holds does', () => {
    const f = flag('f', { type: 'boolean', enabled: true, rules: [{ segments: ['s'], variant: 'on' }] });
    const e = env({}, { s: { constraints: [{ attribute: 'plan', operator: 'IN', values: ['pro'] }] } });
    expect(evaluate(f, { plan: 'free' }, e).variant).toBe('off');
    expect(evaluate(f, { plan: 'pro' }, e).variant).toBe('on');
  });

  it('an error in a prerequisite is the result', () => {
    const parent = { type: 'boolean', enabled: true, defaultVariant: 'nope' };
    const e = env({ parent: flagDefinitionSchema.parse(parent) });
    const child = flag('child', {
      type: 'boolean',
      enabled: true,
      prerequisites: [{ flag: 'parent', variants: ['on'] }],
    });
    expect(evaluate(child, {}, e)).toMatchObject({ reason: 'ERROR', errorCode: 'PARSE_ERROR' });
  });

  it('a prerequisite chain deeper than the limit is an error, not a stack overflow', () => {
    const flags: Record<string, FlagDefinition> = {};
    for (let i = 0; i <= MAX_PREREQUISITE_DEPTH + 1; i += 1) {
      flags[`f${i}`] = flagDefinitionSchema.parse({
        type: 'boolean',
        enabled: true,
        defaultVariant: 'on',
        prerequisites: [{ flag: `f${i + 1}`, variants: ['on', 'off'] }],
      });
    }
    const result = evaluate({ ...(flags['f0'] as FlagDefinition), key: 'f0' }, {}, env(flags));
    expect(result).toMatchObject({ reason: 'ERROR', errorCode: 'GENERAL' });
    expect(result.reason === 'ERROR' && result.errorMessage).toContain('deeper than 64');
  });

  it('a diamond of prerequisites is evaluated once per flag', () => {
    const flags: Record<string, FlagDefinition> = {};
    // 40 levels of two parents each: 2^40 paths, evaluated in linear time thanks to the memo.
    for (let i = 0; i < 40; i += 1) {
      const prerequisites =
        i === 39 ? [] : [`a${i + 1}`, `b${i + 1}`].map((p) => ({ flag: p, variants: ['on'] }));
      for (const side of ['a', 'b']) {
        flags[`${side}${i}`] = flagDefinitionSchema.parse({
          type: 'boolean',
          enabled: true,
          defaultVariant: 'on',
          prerequisites,
        });
      }
    }
    expect(evaluate({ ...(flags['a0'] as FlagDefinition), key: 'a0' }, {}, env(flags))).toMatchObject({
      variant: 'on',
    });
  });

  it('never throws: an unexpected failure is a GENERAL error', () => {
    const hostile = { ...flag('f', { type: 'boolean', enabled: true }), rules: null } as unknown as Flag;
    expect(evaluate(hostile, {}, env())).toMatchObject({ reason: 'ERROR', errorCode: 'GENERAL' });
  });
});
