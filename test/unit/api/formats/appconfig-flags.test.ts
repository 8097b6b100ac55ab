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
        { name: 'rule-0-on', enabled: true, rule: '(split pct::25 by::$userId seed::"f")' },
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

  it('keeps to the published schema: key pattern, names of 1 to 64 characters, the rule-less default last', () => {
    const pattern = /^[a-z][a-zA-Z\d_-]{0,63}$/;
    const name = /^[^\n]{1,64}$/;
    const { document } = toAppConfigFlags(fixtureFlagSet());
    expect(document.version).toBe('1');
    for (const [key, value] of Object.entries(document.values)) {
      expect(key).toMatch(pattern);
      expect(document.flags[key]?.name).toMatch(name);
      const variants = value._variants ?? [];
      expect(variants.length).toBeLessThanOrEqual(32);
      for (const v of variants) expect(v.name).toMatch(name);
      if (variants.length > 0) expect(variants.at(-1)?.rule).toBeUndefined();
      for (const v of variants.slice(0, -1)) expect(v.rule).toBeDefined();
    }
  });

  it('clips long variant names to 64 characters, and leaves out what exceeds the limits', () => {
    const long = 'v'.repeat(80);
    const rule = (variant: string) => ({ constraints: [], segments: [], variant });
    const strings = (variants: Record<string, string>, rules: FlagDefinition['rules']): FlagDefinition => ({
      ...boolean(rules),
      type: 'string',
      variants,
      defaultVariant: 'a',
      offVariant: 'a',
    });
    const targeted = (i: number) => ({
      constraints: [{ attribute: 'n', operator: 'NUM_EQ' as const, value: String(i) }],
      segments: [],
      variant: 'a',
    });
    const { document, problems } = exportOf({
      clipped: strings({ a: 'x', [long]: 'y' }, [{ ...targeted(0), variant: long }]),
      many: strings(
        { a: 'x' },
        Array.from({ length: 32 }, (_, i) => targeted(i)),
      ),
      big: strings({ a: 'x'.repeat(1025) }, [rule('a')]),
    });
    expect(document.values['clipped']?._variants?.[0]?.name).toHaveLength(64);
    expect(problems.map((p) => [p.flag, p.message])).toEqual([
      ['big', 'not exported to AppConfig: a string value longer than 1024 characters'],
      ['many', 'not exported to AppConfig: 33 variants (AppConfig holds 32)'],
    ]);
  });
});
