import { describe, expect, it } from 'vitest';
import { buildFlagSet } from '#api/flags/flag-set.ts';
import { toAppConfigFlags } from '#api/formats/appconfig-flags.ts';
import type { Constraint } from '#domain/flags/constraint.ts';
import type { FlagDefinition } from '#domain/flags/flag.ts';
import { fixtureFlagSet, readFixture } from '../flags/fixtures.ts';

const boolean = (rules: FlagDefinition['rules'], extra: Partial<FlagDefinition> = {}): FlagDefinition =>
  ({
    type: 'boolean',
    enabled: true,
    killed: false,
    variants: { on: true, off: false },
    defaultVariant: 'off',
    offVariant: 'off',
    prerequisites: [],
    rules,
    ...extra,
  }) as FlagDefinition;
const exportOf = (flags: Record<string, FlagDefinition>) =>
  toAppConfigFlags(buildFlagSet({ environment: 'prod', version: 1, flags }));
const ruleFor = (constraint: Constraint): string | undefined =>
  exportOf({ f: boolean([{ constraints: [constraint], segments: [], variant: 'on' }]) }).document.values['f']
    ?._variants?.[0]?.rule;

describe('AppConfig export', () => {
  it('matches the golden export, and reports every flag it leaves out', () => {
    const set = fixtureFlagSet();
    const exported = toAppConfigFlags(set);
    expect(exported).toEqual(readFixture('exports/appconfig.json'));
    const names = Object.values(exported.document.flags).map((f) => f.name);
    expect([...names, ...exported.problems.map((p) => p.flag)].sort()).toEqual(Object.keys(set.flags).sort());
  });

  it.each<[Constraint, string | undefined]>([
    [{ attribute: 'plan', operator: 'IN', values: ['pro', 'team'] }, '(in $plan ["pro", "team"])'],
    [{ attribute: 'plan', operator: 'NOT_IN', values: ['free'] }, '(not (in $plan ["free"]))'],
    [
      { attribute: 'email', operator: 'STR_ENDS_WITH', values: ['@a.io', '@b.io'] },
      '(or (ends_with $email "@a.io") (ends_with $email "@b.io"))',
    ],
    [{ attribute: 'code', operator: 'STR_STARTS_WITH', values: ['WIN'] }, '(begins_with $code "WIN")'],
    [
      { attribute: 'code', operator: 'STR_CONTAINS', values: ['X'], inverted: true },
      '(not (contains $code "X"))',
    ],
    [{ attribute: 'age', operator: 'NUM_GTE', value: '65' }, '(gte $age 65)'],
    [{ attribute: 'ip', operator: 'IN_CIDR', values: ['10.0.0.0/8'] }, undefined],
    [{ attribute: 'd', operator: 'DATE_AFTER', value: '2026-01-01T00:00:00Z' }, undefined],
    [{ attribute: 'a b', operator: 'IN', values: ['x'] }, undefined],
    [{ attribute: 'plan', operator: 'IN', values: ['x'], caseInsensitive: true }, undefined],
  ])('%j → %s', (constraint, rule) => {
    expect(ruleFor(constraint)).toBe(rule);
  });

  it('serves a rule percentage by split, and stops at a catch-all rule', () => {
    const { document } = exportOf({
      f: boolean([
        { constraints: [], segments: [], percentage: { weight: 250, stickiness: 'userId' }, variant: 'on' },
        { constraints: [], segments: [], variant: 'off' },
        { constraints: [], segments: [], variant: 'on' },
      ]),
    });
    expect(document.values['f']).toEqual({
      enabled: false,
      _variants: [
        { name: 'rule-0-on', enabled: true, rule: '(split by::$userId pct::25 seed::"f")' },
        { name: 'rule-1-off', enabled: false },
      ],
    });
  });

  it('leaves out keys AppConfig cannot hold or that collide', () => {
    const { document, problems } = exportOf({ 'a.b': boolean([]), a_b: boolean([]), Upper: boolean([]) });
    expect(Object.keys(document.values)).toEqual(['a_b']);
    expect(problems.map((p) => p.message)).toEqual([
      "not exported to AppConfig: key Upper does not fit AppConfig's pattern",
      'not exported to AppConfig: key a_b collides with another flag',
    ]);
  });
});
