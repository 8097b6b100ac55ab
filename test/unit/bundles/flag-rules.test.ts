import { describe, expect, it } from 'vitest';
import { applyBundle } from '#domain/bundles/snapshot.ts';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import { validateBundle } from '#domain/bundles/validate-bundle.ts';
import type { ValidationContext } from '#domain/bundles/validate-bundle.ts';
import { catalogSchema } from '#domain/catalog/catalog.ts';
import { materialize } from '#domain/environments/config.ts';
import { bundleDocument, catalogDocument, sealed } from '../support/catalog.ts';

const NEW_FLOW = 'payments.checkout.newFlow';
const THEME = 'payments.checkout.theme';
const catalog = catalogSchema.parse({
  ...catalogDocument(),
  flags: [
    { key: NEW_FLOW, type: 'boolean' },
    { key: THEME, type: 'string' },
    { key: 'identity.session.sso', type: 'boolean' },
  ],
  segments: { eu: { constraints: [{ attribute: 'country', operator: 'IN', values: ['DE', 'FR'] }] } },
});
const rollout = {
  rollout: {
    split: [
      { variant: 'on', weight: 200 },
      { variant: 'off', weight: 800 },
    ],
  },
};
const newFlow = { type: 'boolean', enabled: false, rules: [{ segments: ['eu'], variant: 'on' }, rollout] };
const theme = {
  type: 'string',
  enabled: true,
  variants: { light: 'light', dark: 'dark' },
  defaultVariant: 'light',
  offVariant: 'light',
};
const live: Snapshot = {
  values: { [NEW_FLOW]: newFlow, [THEME]: theme, 'payments.checkout.timeoutMs': 2500 },
  bundles: [],
};
const ctx: ValidationContext = { catalog, environment: 'prod-eu', snapshot: live };
const changes = (...list: unknown[]) => bundleDocument({ changes: list });
const codesOf = (document: unknown, at: ValidationContext = ctx) =>
  validateBundle(document, at).problems.map((p) => [p.code, p.path, p.severity ?? 'error']);

describe('bundles change flags like parameters', () => {
  it.each<[string, unknown[], unknown[]]>([
    ['a whole definition', [{ set: NEW_FLOW, value: newFlow }], []],
    ['enable', [{ flag: NEW_FLOW, enable: true }], []],
    ['disable', [{ flag: THEME, disable: true }], []],
    ['rules', [{ flag: THEME, rules: [{ segments: ['eu'], variant: 'dark' }] }], []],
    ['split of the first rollout', [{ flag: NEW_FLOW, split: [{ variant: 'on', weight: 1000 }] }], []],
    ['delete', [{ delete: THEME }], []],
    [
      'unknown variant, segment and weights, all at once',
      [
        {
          set: THEME,
          value: { ...theme, defaultVariant: 'blue', rules: [{ segments: ['us'], ...rollout }] },
        },
      ],
      [
        ['flag.unknown-variant', 'changes[0].value.defaultVariant', 'error'],
        ['flag.unknown-segment', 'changes[0].value.rules[0].segments[0]', 'error'],
        ['flag.unknown-variant', 'changes[0].value.rules[0].rollout.split[0].variant', 'error'],
        ['flag.unknown-variant', 'changes[0].value.rules[0].rollout.split[1].variant', 'error'],
      ],
    ],
    [
      'a split not summing to 1,000',
      [{ flag: NEW_FLOW, split: [{ variant: 'on', weight: 300 }], rule: 1 }],
      [['flag.split-weights', 'changes[0].split', 'error']],
    ],
    [
      'rules with a bad semver literal',
      [
        {
          flag: NEW_FLOW,
          rules: [{ constraints: [{ attribute: 'v', operator: 'SEMVER_GT', value: 'x' }], variant: 'on' }],
        },
      ],
      [['flag.bad-semver', 'changes[0].rules[0].constraints[0].value', 'error']],
    ],
    [
      'split where no rule has a rollout',
      [{ flag: THEME, split: [{ variant: 'dark', weight: 1000 }] }],
      [['flag.no-rollout', 'changes[0].split', 'error']],
    ],
    [
      'split of a rule without a rollout',
      [{ flag: NEW_FLOW, rule: 0, split: [{ variant: 'on', weight: 1000 }] }],
      [['flag.no-rollout', 'changes[0].split', 'error']],
    ],
    [
      'a patch of a flag the environment lacks',
      [{ flag: 'identity.session.sso', enable: true }],
      [
        ['namespace.not-owned', 'changes[0]', 'error'],
        ['flag.not-set', 'changes[0]', 'error'],
      ],
    ],
    [
      'a patch of a parameter',
      [{ flag: 'payments.checkout.timeoutMs', enable: true }],
      [['flag.unknown', 'changes[0]', 'error']],
    ],
    [
      'a type change of a live flag',
      [{ set: NEW_FLOW, value: { ...theme } }],
      [
        ['flag.type-mismatch', 'changes[0].value.type', 'error'],
        ['flag.type-change', 'changes[0].value.type', 'error'],
      ],
    ],
    [
      'a prerequisite cycle',
      [{ set: NEW_FLOW, value: { ...newFlow, prerequisites: [{ flag: NEW_FLOW, variants: ['on'] }] } }],
      [['flag.prerequisite-cycle', 'changes[0].value.prerequisites', 'error']],
    ],
    [
      'a schema problem',
      [{ set: NEW_FLOW, value: { type: 'boolean' } }],
      [['field.required', 'changes[0].value.enabled', 'error']],
    ],
  ])('%s', (_name, list, expected) => {
    expect(codesOf(changes(...list))).toEqual(expected);
  });

  it('reports a flag left depending on one the bundle deletes', () => {
    const dependent = { ...theme, prerequisites: [{ flag: NEW_FLOW, variants: ['on'] }] };
    const at = { ...ctx, snapshot: { ...live, values: { ...live.values, [THEME]: dependent } } };
    expect(codesOf(changes({ delete: NEW_FLOW }), at)).toEqual([
      ['flag.unknown-prerequisite', 'prerequisites[0].flag', 'error'],
    ]);
  });

  it('points a live flag problem a patch keeps (a segment since removed) at the patch', () => {
    const stale = { ...theme, rules: [{ segments: ['gone'], variant: 'dark' }] };
    const at = { ...ctx, snapshot: { ...live, values: { ...live.values, [THEME]: stale } } };
    expect(codesOf(changes({ flag: THEME, disable: true }), at)).toEqual([
      ['flag.unknown-segment', 'changes[0]', 'error'],
    ]);
  });

  it('offline, a patch is a warning: only an environment knows the live flag', () => {
    expect(codesOf(changes({ flag: NEW_FLOW, enable: true }), { catalog })).toEqual([
      ['flag.not-set', 'changes[0]', 'warning'],
    ]);
  });

  it('applies patches to the snapshot and keeps flags out of the configuration', () => {
    const next = applyBundle(
      live,
      sealed({
        changes: [
          { flag: NEW_FLOW, enable: true },
          { flag: THEME, rules: [] },
          { flag: 'payments.checkout.gone', disable: true },
        ],
      }),
    );
    expect(next.values[NEW_FLOW]).toEqual({ ...newFlow, enabled: true });
    expect(next.values[THEME]).toEqual({ ...theme, rules: [] });
    expect(next.values).not.toHaveProperty('payments.checkout.gone');
    const split = applyBundle(
      live,
      sealed({ changes: [{ flag: NEW_FLOW, split: [{ variant: 'on', weight: 1000 }] }] }),
    );
    expect(split.values[NEW_FLOW]).toMatchObject({
      rules: [newFlow.rules[0], { rollout: { split: [{ variant: 'on', weight: 1000 }] } }],
    });
    const unsplit = applyBundle(
      live,
      sealed({ changes: [{ flag: THEME, split: [{ variant: 'dark', weight: 1000 }] }] }),
    );
    expect(unsplit.values[THEME]).toEqual(theme);
    expect(Object.keys(materialize(catalog, next).values)).not.toContain(NEW_FLOW);
  });
});

describe('flag deployment requirements in bundle validation', () => {
  const gated = (requires: unknown[]) => changes({ set: NEW_FLOW, value: { ...newFlow, requires } });

  it('refuses a requirement naming a service the catalog lacks, with or without an environment', () => {
    const refused = [['flag.requirement-unknown-service', 'changes[0].value.requires[0].service', 'error']];
    expect(codesOf(gated([{ service: 'ghost-api', range: '>=1' }]))).toEqual(refused);
    expect(codesOf(gated([{ service: 'ghost-api', range: '>=1' }]), { catalog })).toEqual(refused);
  });

  it('warns that a change is inert where the services fail it; offline it cannot tell', () => {
    const requires = [
      { service: 'checkout-api', range: '>=9.0.0' },
      { service: 'session-api', range: '>=1', variant: 'on' },
    ];
    const result = validateBundle(gated(requires), { ...ctx, services: { 'checkout-api': '2.4.0' } });
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([
      {
        code: 'flag.requirement-inert',
        key: NEW_FLOW,
        path: 'changes[0].value.requires',
        severity: 'warning',
        message:
          'flag payments.checkout.newFlow would be inert in prod-eu: requires checkout-api >=9.0.0, which runs 2.4.0 there; ' +
          'variant on requires session-api >=1, which is not reported there',
      },
    ]);
    expect(codesOf(gated(requires), { catalog })).toEqual([]);
    expect(
      codesOf(gated([{ service: 'checkout-api', range: '>=2' }]), {
        ...ctx,
        services: { 'checkout-api': '2.4.0' },
      }),
    ).toEqual([]);
  });
});
