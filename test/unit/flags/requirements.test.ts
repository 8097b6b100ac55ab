import { describe, expect, it } from 'vitest';
import { evaluate } from '#domain/flags/evaluate.ts';
import type { FlagEnvironment } from '#domain/flags/evaluate.ts';
import type { Flag, FlagDefinition } from '#domain/flags/flag.ts';
import { flagDefinitionSchema } from '#domain/flags/flag.ts';
import {
  formatUnmet,
  requiredServices,
  requirementChanges,
  requirementStatus,
  satisfiesRange,
} from '#domain/flags/requirements.ts';
import { validateFlags } from '#domain/flags/validate.ts';

const define = (definition: unknown): FlagDefinition => flagDefinitionSchema.parse(definition);
const flag = (key: string, definition: unknown): Flag => ({ ...define(definition), key });
const env = (services?: Record<string, string>): FlagEnvironment => ({
  flags: {},
  segments: {},
  now: 0,
  ...(services ? { services } : {}),
});

const checkout = define({
  type: 'boolean',
  enabled: true,
  defaultVariant: 'on',
  requires: [{ service: 'checkout-api', range: '>=2.3.0' }],
});

describe('requirementStatus', () => {
  it.each([
    ['a satisfying version', { 'checkout-api': '2.3.0' }, { met: true }],
    ['a newer version', { 'checkout-api': '3.0.1' }, { met: true }],
    [
      'an older version',
      { 'checkout-api': '2.2.9' },
      { met: false, unmet: [{ service: 'checkout-api', range: '>=2.3.0', running: '2.2.9' }] },
    ],
    ['no version reported', {}, { met: false, unmet: [{ service: 'checkout-api', range: '>=2.3.0' }] }],
    [
      'a version that is not semver',
      { 'checkout-api': 'latest' },
      { met: false, unmet: [{ service: 'checkout-api', range: '>=2.3.0', running: 'latest' }] },
    ],
  ])('%s', (_, services, expected) => {
    expect(requirementStatus(checkout, services)).toEqual(expected);
  });

  it('a flag without requirements is met anywhere', () => {
    expect(requirementStatus(define({ type: 'boolean', enabled: true }), {})).toEqual({ met: true });
  });

  it('names the variant a variant requirement gates, in declaration order', () => {
    const f = define({
      type: 'string',
      enabled: true,
      variants: { a: 'a', b: 'b', off: 'x' },
      defaultVariant: 'a',
      offVariant: 'off',
      requires: [
        { service: 'search', range: '^1.4', variant: 'b' },
        { service: 'web', range: '>=1' },
      ],
    });
    expect(requirementStatus(f, { search: '1.3.0', web: '0.9.0' })).toEqual({
      met: false,
      unmet: [
        { service: 'search', range: '^1.4', running: '1.3.0', variant: 'b' },
        { service: 'web', range: '>=1', running: '0.9.0' },
      ],
    });
    expect(requiredServices(f)).toEqual(['search', 'web']);
  });

  it('formatUnmet names each service, what runs and the variant', () => {
    expect(
      formatUnmet([
        { service: 'search', range: '^1.4', running: '1.3.0', variant: 'b' },
        { service: 'web', range: '>=1' },
      ]),
    ).toBe('search ^1.4 (running 1.3.0) for variant b; web >=1 (not reported)');
  });

  it('satisfiesRange refuses an absent version', () => {
    expect(satisfiesRange(undefined, '*')).toBe(false);
  });
});

describe('evaluate with deployment requirements', () => {
  it('serves offVariant with REQUIREMENT_UNMET naming the service when unmet', () => {
    const result = evaluate({ ...checkout, key: 'c' }, {}, env({ 'checkout-api': '2.2.0' }));
    expect(result).toEqual({
      value: false,
      variant: 'off',
      reason: 'REQUIREMENT_UNMET',
      unmet: [{ service: 'checkout-api', range: '>=2.3.0', running: '2.2.0' }],
    });
  });

  it('serves normally when met, and treats an environment without services as unmet', () => {
    expect(evaluate({ ...checkout, key: 'c' }, {}, env({ 'checkout-api': '2.4.0' }))).toMatchObject({
      variant: 'on',
      reason: 'STATIC',
    });
    expect(evaluate({ ...checkout, key: 'c' }, {}, env())).toMatchObject({ reason: 'REQUIREMENT_UNMET' });
  });

  it('a disabled or killed flag stays DISABLED whatever the services', () => {
    const killed = flag('c', { ...checkout, killed: true });
    expect(evaluate(killed, {}, env())).toMatchObject({ reason: 'DISABLED', variant: 'off' });
  });

  const gatedVariant = flag('s', {
    type: 'string',
    enabled: true,
    variants: { classic: 'classic', vector: 'vector' },
    defaultVariant: 'classic',
    offVariant: 'classic',
    requires: [{ service: 'search-api', range: '>=4.0.0', variant: 'vector' }],
    rules: [{ constraints: [{ attribute: 'tier', operator: 'IN', values: ['beta'] }], variant: 'vector' }],
  });

  it('a variant requirement gates only that variant', () => {
    const old = env({ 'search-api': '3.9.0' });
    expect(evaluate(gatedVariant, { tier: 'beta' }, old)).toEqual({
      value: 'classic',
      variant: 'classic',
      reason: 'REQUIREMENT_UNMET',
      unmet: [{ service: 'search-api', range: '>=4.0.0', running: '3.9.0', variant: 'vector' }],
    });
    expect(evaluate(gatedVariant, { tier: 'free' }, old)).toMatchObject({
      reason: 'DEFAULT',
      variant: 'classic',
    });
    expect(evaluate(gatedVariant, { tier: 'beta' }, env({ 'search-api': '4.0.0' }))).toMatchObject({
      reason: 'TARGETING_MATCH',
      variant: 'vector',
    });
  });

  it('an unknown offVariant is still a PARSE_ERROR', () => {
    const broken = flag('b', {
      type: 'string',
      enabled: true,
      variants: { a: 'a' },
      defaultVariant: 'a',
      offVariant: 'ghost',
      requires: [{ service: 'x', range: '>=1' }],
    });
    expect(evaluate(broken, {}, env())).toMatchObject({ reason: 'ERROR', errorCode: 'PARSE_ERROR' });
  });
});

describe('requirementChanges (a service report or rollback)', () => {
  const flags = {
    'a.on': checkout,
    'a.free': define({ type: 'boolean', enabled: true }),
    'a.other': define({ type: 'boolean', enabled: true, requires: [{ service: 'web', range: '>=1' }] }),
  };

  it('a satisfying report switches the flag on; a rollback below the range switches it off', () => {
    const on = requirementChanges(flags, { 'checkout-api': '2.2.0' }, { 'checkout-api': '2.3.0' });
    expect(on).toEqual([{ flag: 'a.on', from: 'unmet', to: 'met', unmet: [] }]);
    const off = requirementChanges(flags, { 'checkout-api': '2.3.0' }, { 'checkout-api': '2.2.0' });
    expect(off).toEqual([
      {
        flag: 'a.on',
        from: 'met',
        to: 'unmet',
        unmet: [{ service: 'checkout-api', range: '>=2.3.0', running: '2.2.0' }],
      },
    ]);
  });

  it('a report that keeps every status changes nothing', () => {
    expect(requirementChanges(flags, { 'checkout-api': '2.3.0' }, { 'checkout-api': '2.9.0' })).toEqual([]);
  });
});

describe('validateFlags: requirements', () => {
  it('refuses a range that is not semver and a variant the flag lacks', () => {
    const { problems } = validateFlags(
      {
        f: {
          type: 'boolean',
          enabled: true,
          requires: [
            { service: 'web', range: 'soon' },
            { service: 'web', range: '>=1', variant: 'maybe' },
          ],
        },
      },
      {},
    );
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['flag.requirement-range', 'requires[0].range'],
      ['flag.unknown-variant', 'requires[1].variant'],
    ]);
  });

  it('refuses a requirement whose service is not a name', () => {
    const { problems } = validateFlags(
      { f: { type: 'boolean', enabled: true, requires: [{ service: 'Web App', range: '>=1' }] } },
      {},
    );
    expect(problems.map((p) => p.path)).toEqual(['requires[0].service']);
  });
});
