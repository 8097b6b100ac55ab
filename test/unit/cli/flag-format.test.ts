import { describe, expect, it } from 'vitest';
import { flagEnvironment } from '#api/flags/flag-set.ts';
import { evaluateKey } from '#domain/flags/evaluate.ts';
import type { Constraint } from '#domain/flags/constraint.ts';
import type { FlagDefinition } from '#domain/flags/flag.ts';
import { alignRows } from '#cli/output.ts';
import {
  constraintText,
  evaluationRows,
  flagLines,
  flagRows,
  flagState,
  LIST_HEADER,
  splitSummary,
} from '#cli/flag-format.ts';
import { fixtureFlagSet, fixtureNow } from '../api/flags/fixtures.ts';

/** Golden files: test/fixtures/flags/cli/*.txt (the shared flag set of test/fixtures/flags). */
const golden = (name: string): string => `../../fixtures/flags/cli/${name}`;
const set = fixtureFlagSet();

const boolean = (over: Partial<FlagDefinition>): FlagDefinition =>
  ({
    type: 'boolean',
    variants: { on: true, off: false },
    defaultVariant: 'off',
    offVariant: 'off',
    enabled: true,
    killed: false,
    rules: [],
    prerequisites: [],
    ...over,
  }) as FlagDefinition;

describe('flag list', () => {
  it('prints one aligned row per flag, in key order', async () => {
    const text = alignRows([LIST_HEADER, ...flagRows(set.flags)]).join('\n') + '\n';
    await expect(text).toMatchFileSnapshot(golden('list.txt'));
  });

  it.each([
    ['enabled', boolean({}), 'enabled'],
    ['disabled', boolean({ enabled: false }), 'disabled'],
    ['killed wins over enabled', boolean({ killed: true }), 'killed'],
    ['killed wins over disabled', boolean({ enabled: false, killed: true }), 'killed'],
  ])('state: %s', (_name, flag, state) => {
    expect(flagState(flag)).toBe(state);
  });

  it.each([
    ['no rules', boolean({}), '-'],
    ['a rule serving a variant', boolean({ rules: [{ constraints: [], segments: [], variant: 'on' }] }), '-'],
    [
      'a rollout in thousandths',
      boolean({
        rules: [
          { constraints: [], segments: [], variant: 'on' },
          {
            constraints: [],
            segments: [],
            rollout: {
              split: [
                { variant: 'on', weight: 125 },
                { variant: 'off', weight: 875 },
              ],
            },
          },
        ],
      }),
      '#1 on 12.5% / off 87.5%',
    ],
    [
      'a percentage over Unleash buckets, then a rollout',
      boolean({
        rules: [
          { constraints: [], segments: [], percentage: { weight: 30, buckets: 100 }, variant: 'on' },
          {
            constraints: [],
            segments: [],
            rollout: {
              buckets: 3,
              split: [
                { variant: 'on', weight: 1 },
                { variant: 'off', weight: 2 },
              ],
            },
          },
        ],
      }),
      '#0 30% of contexts; #1 on 33.33% / off 66.67%',
    ],
  ])('split summary: %s', (_name, flag, summary) => {
    expect(splitSummary(flag)).toBe(summary);
  });
});

describe('flag show', () => {
  it('prints every definition readably', async () => {
    const text = Object.keys(set.flags)
      .sort()
      .map((key) => flagLines(key, set.flags[key] as FlagDefinition, set.segments).join('\n'))
      .join('\n\n');
    await expect(`${text}\n`).toMatchFileSnapshot(golden('show.txt'));
  });

  it.each<[Constraint, string]>([
    [{ attribute: 'country', operator: 'IN', values: ['de', 'at'] }, 'country IN [de, at]'],
    [{ attribute: 'v', operator: 'SEMVER_LT', value: '2.0.0', inverted: true }, 'NOT v SEMVER_LT 2.0.0'],
    [
      { attribute: 'name', operator: 'STR_CONTAINS', values: ['x'], caseInsensitive: true },
      'name STR_CONTAINS [x] (case-insensitive)',
    ],
    [{ attribute: 'ip', operator: 'IN_CIDR' }, 'ip IN_CIDR'],
  ])('constraint %j', (constraint, text) => {
    expect(constraintText(constraint)).toBe(text);
  });

  it('names a segment the set lacks', () => {
    const flag = boolean({ rules: [{ constraints: [], segments: ['ghost'], variant: 'on' }] });
    expect(flagLines('x.y', flag, {})).toContain('      in segment ghost (unknown segment)');
  });
});

describe('flag evaluate', () => {
  const contexts: [string, string, Record<string, unknown>][] = [
    ['static', 'checkout.static', {}],
    ['disabled', 'checkout.disabled', {}],
    ['killed', 'checkout.killed', {}],
    ['targeted by email', 'checkout.targeted', { email: 'ada@convoy.dev' }],
    ['targeted by segments', 'checkout.targeted', { beta: 'true', country: 'DE' }],
    ['targeted, no match', 'checkout.targeted', { plan: 'free' }],
    ['split', 'checkout.split', { targetingKey: 'user-1' }],
    ['split without a targeting key', 'checkout.split', {}],
    ['missing prerequisite', 'checkout.needs-missing', {}],
    ['prerequisite cycle', 'cycle.a', {}],
    ['not found', 'checkout.nope', {}],
  ];

  it('prints value, variant, reason, rule and the error code', async () => {
    const env = flagEnvironment(set, fixtureNow);
    const text = contexts
      .map(([name, key, context]) =>
        [
          `# ${name} ${JSON.stringify(context)}`,
          ...alignRows(evaluationRows(key, evaluateKey(key, context, env))),
        ].join('\n'),
      )
      .join('\n\n');
    await expect(`${text}\n`).toMatchFileSnapshot(golden('evaluate.txt'));
  });
});
