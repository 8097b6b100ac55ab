import { describe, expect, it } from 'vitest';
import { scenarioSchema, type ScenarioInput } from '#domain/rollout/scenario-schema.ts';
import { alarmStatesAt, approvalFor, freezesAt } from '#domain/rollout/scenario-world.ts';

const MIN = 60_000;
const world = (input: ScenarioInput) => scenarioSchema.parse(input);
const names = ['prod-eu-5xx-rate', 'prod-eu-checkout-p99'];

describe('alarmStatesAt', () => {
  const scenario = world({
    alarms: [
      { alarm: 'prod-eu-5xx-rate', state: 'ALARM', from: 'PT50M', to: 'PT1H10M' },
      { alarm: 'prod-eu-checkout-p99', state: 'INSUFFICIENT_DATA', from: 'PT1H' },
      { alarm: 'prod-eu-5xx-rate', state: 'OK', from: 'PT55M', to: 'PT56M' },
      { alarm: 'prod-eu-checkout-p99', state: 'MISSING', from: 'PT3H', to: 'PT4H' },
    ],
    monitoring: [
      { unavailable: true, from: 'PT2H', to: 'PT2H10M' },
      { unavailable: false, from: 'PT0S' },
    ],
  });

  it.each<[string, number, unknown]>([
    [
      'unscripted alarms are OK',
      10 * MIN,
      [
        { name: names[0], state: 'OK' },
        { name: names[1], state: 'OK' },
      ],
    ],
    [
      'an interval starts at "from" (inclusive)',
      50 * MIN,
      [
        { name: names[0], state: 'ALARM' },
        { name: names[1], state: 'OK' },
      ],
    ],
    [
      'a later entry wins while it holds',
      55 * MIN,
      [
        { name: names[0], state: 'OK' },
        { name: names[1], state: 'OK' },
      ],
    ],
    [
      'an open interval lasts to the end',
      65 * MIN,
      [
        { name: names[0], state: 'ALARM' },
        { name: names[1], state: 'INSUFFICIENT_DATA' },
      ],
    ],
    [
      'an interval ends at "to" (exclusive)',
      70 * MIN,
      [
        { name: names[0], state: 'OK' },
        { name: names[1], state: 'INSUFFICIENT_DATA' },
      ],
    ],
    ['a monitoring outage makes everything unavailable', 125 * MIN, 'unavailable'],
    [
      'after the outage, alarms answer again',
      130 * MIN,
      [
        { name: names[0], state: 'OK' },
        { name: names[1], state: 'INSUFFICIENT_DATA' },
      ],
    ],
    ['a MISSING alarm is left out', 200 * MIN, [{ name: names[0], state: 'OK' }]],
  ])('%s', (_rule, offset, expected) => {
    expect(alarmStatesAt(scenario, names, offset)).toEqual(expected);
  });
});

describe('freezesAt', () => {
  const scenario = world({
    freezes: [
      { environments: ['prod-*'], from: 'PT3H', to: 'PT5H', level: 'soft', inFlight: 'continue' },
      {
        name: 'eu-hard',
        environments: ['prod-eu'],
        from: 'PT4H',
        to: 'PT6H',
        level: 'hard',
        inFlight: 'finish-phase',
      },
      { environments: ['*'], from: 'PT4H30M', to: 'PT4H40M', level: 'soft' },
    ],
  });

  it.each<[string, string, number, Record<string, unknown>, string[]]>([
    [
      'nothing before the window',
      'prod-eu',
      2 * 60 * MIN,
      { frozen: false, level: null, inFlight: null },
      [],
    ],
    [
      'a glob matches',
      'prod-us',
      3 * 60 * MIN,
      { frozen: true, level: 'soft', inFlight: 'continue' },
      ['scenario-freeze-0'],
    ],
    ['a glob does not match', 'staging', 3 * 60 * MIN, { frozen: false }, []],
    [
      'hard beats soft; finish-phase beats continue',
      'prod-eu',
      4 * 60 * MIN,
      { frozen: true, level: 'hard', inFlight: 'finish-phase' },
      ['scenario-freeze-0', 'eu-hard'],
    ],
    [
      'pause beats the rest',
      'prod-eu',
      270 * MIN,
      { level: 'hard', inFlight: 'pause' },
      ['scenario-freeze-0', 'eu-hard', 'scenario-freeze-2'],
    ],
    ['a window ends at "to"', 'prod-us', 5 * 60 * MIN, { frozen: false }, []],
  ])('%s', (_rule, env, offset, expected, ids) => {
    const status = freezesAt(scenario, env, offset);
    expect(status).toMatchObject(expected);
    expect(status.windows.map((w) => w.id)).toEqual(ids);
  });

  it('the strictest in-flight policy wins whatever the order of the windows', () => {
    const reversed = world({
      freezes: [
        { environments: ['dev'], from: 'PT0S', level: 'soft', inFlight: 'finish-phase' },
        { environments: ['dev'], from: 'PT0S', level: 'soft', inFlight: 'continue' },
      ],
    });
    expect(freezesAt(reversed, 'dev', 0).inFlight).toBe('finish-phase');
  });
});

describe('approvalFor', () => {
  const scenario = world({
    approvals: [{ phase: 'staging', at: 'PT25M', decision: 'approve', by: 'olivia' }],
  });

  it('returns the scripted decision with its offset', () => {
    expect(approvalFor(scenario, 'staging')).toEqual({
      phase: 'staging',
      at: 'PT25M',
      atMs: 25 * MIN,
      decision: 'approve',
      by: 'olivia',
    });
  });

  it('returns undefined when nobody answers (the gate times out)', () => {
    expect(approvalFor(scenario, 'prod')).toBeUndefined();
  });
});

describe('freeze environment globs', () => {
  it.each([
    ['prod-*', 'prod-eu', true],
    ['prod-*', 'prod-', true],
    ['prod-*', 'staging', false],
    ['*', 'anything', true],
    ['prod.eu', 'prod-eu', false],
    ['dev', 'dev', true],
  ])('%s matches %s: %s', (glob, environment, matches) => {
    const scenario = world({ freezes: [{ environments: [glob], from: 'PT0S', level: 'hard' }] });
    expect(freezesAt(scenario, environment, 0).frozen).toBe(matches);
  });
});
