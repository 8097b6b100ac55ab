import { describe, expect, it } from 'vitest';
import { validateStrategy } from '#domain/rollout/validate-strategy.ts';
import { catalog, standard, standardInput } from './fixtures.ts';

type Doc = Record<string, unknown>;
const withPhases = (phases: unknown[], patch: Doc = {}): Doc => ({ ...standardInput(), phases, ...patch });
const phase = (name: string, environments: string[], extra: Doc = {}): Doc => ({
  name,
  environments,
  bake: 'PT10M',
  ...extra,
});
const codes = (input: unknown) => validateStrategy(input, catalog).problems.map((p) => [p.code, p.path]);

describe('validateStrategy', () => {
  it('accepts the standard strategy without problems', () => {
    expect(validateStrategy(standardInput(), catalog)).toEqual({
      ok: true,
      strategy: standard,
      problems: [],
    });
  });

  it.each<[string, unknown, Array<[string, string | undefined]>]>([
    [
      'an unknown environment',
      withPhases([phase('a', ['dev', 'qa'])]),
      [['strategy.unknown-environment', 'phases[0].environments[1]']],
    ],
    [
      'an environment repeated across phases',
      withPhases([phase('a', ['dev']), phase('b', ['dev'])]),
      [['strategy.repeated-environment', 'phases[1].environments[0]']],
    ],
    [
      'an environment repeated within a phase',
      withPhases([phase('a', ['dev', 'dev'])]),
      [['strategy.repeated-environment', 'phases[0].environments[1]']],
    ],
    [
      'duplicate phase names',
      withPhases([phase('a', ['dev']), phase('a', ['staging'])]),
      [['strategy.duplicate-phase', 'phases[1].name']],
    ],
    ['no phases', withPhases([]), [['strategy.no-phases', 'phases']]],
    [
      'a bake shorter than the interval',
      withPhases([phase('a', ['dev'], { bake: 'PT30S' })]),
      [['strategy.bake-shorter-than-interval', 'phases[0].bake']],
    ],
    [
      'a final watch shorter than the interval',
      { ...standardInput(), finalWatch: 'PT10S' },
      [['strategy.final-watch-shorter-than-interval', 'finalWatch']],
    ],
    [
      'a zero interval',
      { ...standardInput(), health: { alarms: ['{env}-5xx'], interval: 'PT0S' } },
      [['strategy.interval-too-short', 'health.interval']],
    ],
    [
      'a bad alarm template',
      { ...standardInput(), health: { alarms: ['{env}-5xx', '{region}-5xx'] } },
      [['strategy.alarm-template', 'health.alarms[1]']],
    ],
    [
      'an alarm name longer than CloudWatch allows once expanded',
      { ...standardInput(), health: { alarms: [`{env}-${'x'.repeat(248)}`] } },
      [['strategy.alarm-template', 'health.alarms[0]']],
    ],
    [
      'no alarms at all',
      { ...standardInput(), health: { alarms: [] } },
      [['field.invalid', 'health.alarms']],
    ],
    [
      'a bake in months',
      withPhases([phase('a', ['dev'], { bake: 'P1M' })]),
      [['strategy.invalid-duration', 'phases[0].bake']],
    ],
    ['an unknown field', { ...standardInput(), canary: true }, [['field.unknown', 'canary']]],
    ['not an object', 'standard', [['field.type', '']]],
    [
      'a percentage over several environments',
      withPhases([phase('a', ['prod-eu', 'prod-us'], { percentage: 10 })]),
      [['strategy.percentage-single-environment', 'phases[0].percentage']],
    ],
    [
      'a percentage of an environment without AppConfig',
      withPhases([phase('a', ['prod-us'], { percentage: 10 })]),
      [['strategy.percentage-needs-appconfig', 'phases[0].percentage']],
    ],
    [
      'a percentage over 100',
      withPhases([phase('a', ['prod-eu'], { percentage: 150 })]),
      [['field.invalid', 'phases[0].percentage']],
    ],
    [
      'a percentage that does not grow',
      withPhases([phase('a', ['prod-eu'], { percentage: 50 }), phase('b', ['prod-eu'], { percentage: 10 })]),
      [['strategy.repeated-environment', 'phases[1].environments[0]']],
    ],
  ])('reports %s', (_rule, input, expected) => {
    const result = validateStrategy(input, catalog);
    expect(result.ok).toBe(false);
    expect(result.strategy).toBeUndefined();
    expect(codes(input)).toEqual(expected);
    for (const p of result.problems) expect(p.message.length).toBeGreaterThan(10);
  });

  it('lets an environment appear again to raise its percentage', () => {
    const input = withPhases([
      phase('dev', ['dev']),
      phase('eu-10', ['prod-eu'], { percentage: 10 }),
      phase('eu-50', ['prod-eu'], { percentage: 50 }),
      phase('eu', ['prod-eu']),
    ]);
    expect(validateStrategy(input, catalog)).toMatchObject({ ok: true, problems: [] });
  });

  it('warns about phases out of promotion order but stays ok', () => {
    const input = withPhases([
      phase('a', ['prod-eu']),
      phase('b', ['staging', 'prod-us']),
      phase('c', ['dev']),
    ]);
    const result = validateStrategy(input, catalog);
    expect(result.ok).toBe(true);
    expect(result.strategy?.phases).toHaveLength(3);
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'strategy.out-of-order',
        path: 'phases[1].environments[0]',
        severity: 'warning',
      }),
      expect.objectContaining({
        code: 'strategy.out-of-order',
        path: 'phases[2].environments[0]',
        severity: 'warning',
      }),
    ]);
    expect(result.problems[0]?.message).toContain('dev → staging → prod-eu → prod-us');
  });

  it.each([
    ['prod-euu', ' (did you mean "prod-eu"?)'],
    ['qa', ''],
  ])('suggests the closest environment for %s', (name, hint) => {
    const [found] = validateStrategy(withPhases([phase('a', [name])]), catalog).problems;
    expect(found?.message).toBe(
      `unknown environment "${name}"${hint}; the catalog has dev → staging → prod-eu → prod-us`,
    );
  });

  it('orders environments within one phase freely', () => {
    expect(validateStrategy(withPhases([phase('a', ['prod-us', 'dev'])]), catalog).problems).toEqual([]);
  });

  it('reports every problem at once, including in phases next to a malformed one', () => {
    const input = {
      name: 'Bad Name',
      phases: [
        phase('a', ['dev']),
        { name: 'b', environments: ['qa'], bake: 'P1Y' },
        phase('a', ['dev'], { bake: 'PT1S' }),
      ],
      health: { alarms: ['{zone}'], interval: 'PT1M' },
      finalWatch: 'PT1S',
    };
    expect(codes(input)).toEqual([
      ['field.invalid', 'name'],
      ['strategy.invalid-duration', 'phases[1].bake'],
      ['strategy.alarm-template', 'health.alarms[0]'],
      ['strategy.repeated-environment', 'phases[2].environments[0]'],
      ['strategy.duplicate-phase', 'phases[2].name'],
      ['strategy.bake-shorter-than-interval', 'phases[2].bake'],
      ['strategy.final-watch-shorter-than-interval', 'finalWatch'],
    ]);
  });

  it('checks bakes against the default interval when the document leaves it out', () => {
    const input = withPhases([phase('a', ['dev'], { bake: 'PT30S' })], { health: { alarms: ['x'] } });
    expect(codes(input)).toEqual([['strategy.bake-shorter-than-interval', 'phases[0].bake']]);
  });

  it('a missing health policy still lets bakes be checked against the default interval', () => {
    const { health: _health, ...rest } = withPhases([phase('a', ['dev'], { bake: 'PT30S' })]);
    expect(codes(rest)).toEqual([
      ['field.required', 'health'],
      ['strategy.bake-shorter-than-interval', 'phases[0].bake'],
    ]);
  });

  it('a final watch that is not a duration is a schema problem only', () => {
    expect(codes({ ...standardInput(), finalWatch: 30 })).toEqual([['field.type', 'finalWatch']]);
  });

  it('an unreadable interval or final watch is reported once, without knock-on bake problems', () => {
    const input = { ...standardInput(), health: { alarms: ['x'], interval: 'P1M' }, finalWatch: 'P1Y' };
    expect(codes(input)).toEqual([
      ['strategy.invalid-duration', 'health.interval'],
      ['strategy.invalid-duration', 'finalWatch'],
    ]);
  });

  it('refuses a document nested too deep before looking at its rules', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 80; i += 1) deep = { a: deep };
    expect(codes({ ...standardInput(), labels: deep })).toEqual([['document.too-deep', undefined]]);
  });

  it('limits a phase to the 100 alarms one DescribeAlarms call can read', () => {
    const alarms = Array.from({ length: 51 }, (_, i) => `{env}-alarm-${i}`);
    const input = withPhases([phase('a', ['dev', 'staging'])], { health: { alarms } });
    expect(codes(input)).toEqual([['strategy.too-many-alarms', 'phases[0]']]);
  });

  it('counts the alarms of every environment deployed so far: later phases watch the earlier ones too', () => {
    const alarms = Array.from({ length: 40 }, (_, i) => `{env}-alarm-${i}`);
    const input = withPhases([phase('a', ['dev', 'staging']), phase('b', ['prod-eu'])], {
      health: { alarms },
    });
    expect(codes(input)).toEqual([['strategy.too-many-alarms', 'phases[1]']]);
  });
});
