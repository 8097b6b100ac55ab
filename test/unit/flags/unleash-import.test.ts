import { describe, expect, it } from 'vitest';
import { evaluateKey } from '#domain/flags/evaluate.ts';
import { importUnleash, UNLEASH_VARIANT_SEED } from '#domain/flags/unleash-import.ts';
import { translateRe2Pattern } from '#domain/flags/unleash-regex.ts';

const feature = (name: string, rest: Record<string, unknown> = {}) => ({
  name,
  enabled: true,
  strategies: [],
  ...rest,
});
const one = (f: Record<string, unknown>, segments: unknown[] = []) =>
  importUnleash({ features: [f], segments });
const codes = (result: ReturnType<typeof importUnleash>) => result.problems.map((p) => [p.code, p.severity]);

describe('importUnleash: strategies', () => {
  it.each([
    ['custom strategy', { name: 'myStrategy', parameters: {} }, [], ['unleash.strategy']],
    ['random at 0%', { name: 'gradualRolloutRandom', parameters: { percentage: '0' } }, [], []],
    [
      'flexible at 0%',
      { name: 'flexibleRollout', parameters: { rollout: '0', stickiness: 'default' } },
      [],
      [],
    ],
    ['remoteAddress without IPs', { name: 'remoteAddress', parameters: {} }, [], []],
    [
      'an unknown operator',
      { name: 'default', constraints: [{ contextName: 'a', operator: 'LIKE', values: [] }] },
      [],
      [],
    ],
    ['a null constraint', { name: 'default', constraints: [null] }, [], []],
    ['a missing segment', { name: 'default', segments: [7] }, [], []],
  ])('%s: never matches, so no rule', (_, strategy, rules, warnings) => {
    const result = one(feature('f', { strategies: [strategy] }));
    expect(result.flags['f']?.rules).toEqual(rules);
    expect(result.problems.map((p) => p.code)).toEqual(warnings);
  });

  it.each([
    [
      'random at 30%: a sticky approximation, with a warning',
      { name: 'gradualRolloutRandom', parameters: { percentage: 30 } },
      { stickiness: ['userId', 'sessionId', 'remoteAddress'], groupId: '', buckets: 100, weight: 30 },
    ],
    [
      'flexible with random stickiness',
      { name: 'flexibleRollout', parameters: { rollout: '100', stickiness: 'random' } },
      undefined,
    ],
    [
      'flexible at 25% by default',
      { name: 'flexibleRollout', parameters: { rollout: '25.9', groupId: 'g' } },
      { stickiness: ['userId', 'sessionId'], groupId: 'g', buckets: 100, weight: 25 },
    ],
    [
      'flexible by a custom attribute, even at 100%',
      { name: 'flexibleRollout', parameters: { rollout: 'lots', stickiness: 'tenant' } },
      { stickiness: ['tenant'], groupId: '', buckets: 100, weight: 0 },
    ],
    [
      'gradual rollout by session',
      { name: 'gradualRolloutSessionId', parameters: { percentage: '150', groupId: 'g' } },
      { stickiness: ['sessionId'], groupId: 'g', buckets: 100, weight: 100 },
    ],
  ])('%s', (_, strategy, percentage) => {
    const rule = one(feature('f', { strategies: [strategy] })).flags['f']?.rules[0];
    expect(rule?.percentage).toEqual(percentage);
    expect(rule?.variant).toBe('on');
  });

  it('applicationHostname reads the context attribute hostname', () => {
    const result = one(
      feature('f', {
        strategies: [{ name: 'applicationHostname', parameters: { hostNames: 'Web-1, web-2' } }],
      }),
    );
    expect(result.flags['f']?.rules[0]?.constraints).toEqual([
      { attribute: 'hostname', operator: 'IN', values: ['web-1', 'web-2'] },
    ]);
    expect(codes(result)).toEqual([['unleash.strategy', 'warning']]);
    const empty = one(feature('f', { strategies: [{ name: 'applicationHostname' }] }));
    expect(empty.flags['f']?.rules[0]?.constraints).toEqual([
      { attribute: 'hostname', operator: 'IN', values: [] },
    ]);
  });
});

describe('importUnleash: variants', () => {
  it("keeps Unleash's seed and total weight, overrides first, the first variant without stickiness", () => {
    const variants = [
      {
        name: 'blue',
        weight: 1,
        payload: { type: 'string', value: 'b' },
        overrides: [{ contextName: 'userId', values: ['u1'] }],
      },
      { name: 'red', weight: 2 },
    ];
    const result = one(feature('f', { variants }));
    expect(result.flags['f']).toMatchObject({
      type: 'json',
      variants: { off: null, on: null, blue: { type: 'string', value: 'b' }, red: null },
      rules: [
        { constraints: [{ attribute: 'userId', operator: 'IN', values: ['u1'] }], variant: 'blue' },
        {
          rollout: {
            stickiness: ['userId', 'sessionId', 'remoteAddress'],
            groupId: 'f',
            seed: UNLEASH_VARIANT_SEED,
            buckets: 3,
          },
        },
        { variant: 'blue' },
      ],
    });
  });

  it("strategy variants with no weight give way to the feature's; no weight at all serves on", () => {
    const strategies = [{ name: 'default', variants: [{ name: 'x', weight: 0 }] }];
    const withFeature = one(
      feature('f', { strategies, variants: [{ name: 'y', weight: 5, stickiness: 'tenant' }] }),
    );
    expect(withFeature.flags['f']?.rules).toEqual([{ constraints: [], segments: [], variant: 'y' }]);
    const none = one(feature('f', { variants: [{ name: 'y', weight: 0 }] }));
    expect(none.flags['f']?.rules).toEqual([{ constraints: [], segments: [], variant: 'on' }]);
  });

  it("strategy variants hash with the strategy's groupId, `undefined` when it has none", () => {
    const strategies = [
      {
        name: 'default',
        variants: [
          { name: 'x', weight: 1 },
          { name: 'y', weight: 1 },
        ],
      },
    ];
    const rule = one(feature('f', { strategies })).flags['f']?.rules[0];
    expect(rule?.rollout).toMatchObject({
      groupId: 'undefined',
      stickiness: ['userId', 'sessionId', 'remoteAddress'],
    });
  });

  it("warns about a variant named like Convoy's on/off", () => {
    const result = one(
      feature('f', {
        variants: [
          { name: 'on', weight: 1 },
          { name: 'z', weight: 1 },
        ],
      }),
    );
    expect(codes(result)).toEqual([['unleash.variant-name', 'warning']]);
  });
});

describe('importUnleash: segments, dependencies, payloads', () => {
  it('names segments by name, else by id, uniquely; an unknown operator never matches', () => {
    const segments = [
      { id: 1, name: 'eu', constraints: [] },
      { id: 2, name: 'eu', constraints: [] },
      { id: 3, constraints: [{ contextName: 'a', operator: 'LIKE' }] },
    ];
    const result = importUnleash({ features: [], segments });
    expect(Object.keys(result.segments)).toEqual(['eu', 'eu-2', 'segment-3']);
    expect(result.segments['segment-3']?.constraints).toEqual([
      { attribute: 'never', operator: 'IN', values: [] },
    ]);
    expect(codes(result)).toEqual([['unleash.segment', 'warning']]);
  });

  it('maps dependencies: enabled, disabled, listed variants, a missing parent, a nested one', () => {
    const features = [
      feature('grand'),
      feature('parent', { variants: [{ name: 'v', weight: 1 }], dependencies: [{ feature: 'grand' }] }),
      feature('child', {
        dependencies: [
          { feature: 'parent' },
          { feature: 'grand', enabled: false },
          { feature: 'parent', variants: ['v', 'disabled'] },
          { feature: 'ghost' },
        ],
      }),
    ];
    const result = importUnleash({ features });
    expect(result.flags['child']?.prerequisites).toEqual([
      { flag: 'parent', variants: ['on', 'v'] },
      { flag: 'grand', variants: ['off'] },
      { flag: 'parent', variants: ['v', 'on'] },
      { flag: 'ghost', variants: ['on'] },
    ]);
    expect(result.problems.map((p) => p.code)).toEqual([
      'unleash.nested-dependency',
      'unleash.nested-dependency',
    ]);
  });

  it('replays delta events: removals included', () => {
    const result = importUnleash({
      events: [
        { type: 'hydration', features: [feature('a'), feature('b')], segments: [{ id: 1, constraints: [] }] },
        { type: 'feature-removed', featureName: 'a' },
        { type: 'segment-updated', segment: { id: 2, constraints: [] } },
        { type: 'segment-removed', segmentId: 1 },
        { type: 'hydration', features: [feature('b')] },
        { type: 'segment-updated', segment: { id: 2, constraints: [] } },
      ],
    });
    expect(Object.keys(result.flags)).toEqual(['b']);
    expect(Object.keys(result.segments)).toEqual(['segment-2']);
  });

  it("a payload that is not Unleash's is every problem, and nothing imported", () => {
    const result = importUnleash({ features: [{ name: 'x' }] });
    expect(result.flags).toEqual({});
    expect(result.problems.length).toBeGreaterThan(0);
  });

  it('imported flags evaluate: a description is kept, a feature without strategies is on', () => {
    const result = one(feature('f', { description: 'd', strategies: null }));
    expect(result.flags['f']?.description).toBe('d');
    const env = { flags: result.flags, segments: result.segments, now: 0 };
    expect(evaluateKey('f', {}, env)).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
  });
});

describe('translateRe2Pattern', () => {
  it.each([
    ['^[[:alpha:]]+$', '^[A-Za-z]+$'],
    ['[[:^alpha:]]', '[[:^alpha:]]'],
    ['[[:nope:]]', '[[:nope:]]'],
    ['^(?i)abc$', '^(?i:abc$)'],
    ['(x(?s)a.b)c', '(x(?s:a.b))c'],
    ['\\(?i)', '\\(?i)'],
    ['[(?i)]', '[(?i)]'],
    ['[abc', '[abc'],
    ['a)', 'a)'],
    ['a))', 'a))'],
  ])('%s → %s', (re2, javascript) => {
    expect(translateRe2Pattern(re2)).toBe(javascript);
  });
});
