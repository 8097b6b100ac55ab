import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { scenarioSchema } from '#domain/rollout/scenario-schema.ts';
import { validateScenario } from '#domain/rollout/scenario.ts';
import { standard } from './fixtures.ts';

/** The scenario of issue 4 §4, verbatim. */
const issueScenario = parse(`
alarms:     [{ alarm: prod-eu-5xx-rate, state: ALARM, from: PT50M, to: PT1H10M }]
monitoring: [{ unavailable: true, from: PT2H, to: PT2H10M }]
approvals:  [{ phase: staging, at: PT25M, decision: approve, by: olivia }]
freezes:    [{ environments: [prod-*], from: PT3H, to: PT5H, level: hard }]
`) as Record<string, unknown>;
const codes = (input: unknown, withStrategy = true) =>
  validateScenario(input, withStrategy ? { strategy: standard } : {}).problems.map((p) => [
    p.code,
    p.path,
    p.severity ?? 'error',
  ]);

describe('validateScenario', () => {
  it('accepts the scenario of issue 4, with defaults filled in', () => {
    const result = validateScenario(issueScenario, { strategy: standard });
    expect(result).toEqual({
      ok: true,
      problems: [],
      scenario: {
        alarms: [{ alarm: 'prod-eu-5xx-rate', state: 'ALARM', from: 'PT50M', to: 'PT1H10M' }],
        monitoring: [{ unavailable: true, from: 'PT2H', to: 'PT2H10M' }],
        approvals: [{ phase: 'staging', at: 'PT25M', decision: 'approve', by: 'olivia' }],
        freezes: [{ environments: ['prod-*'], from: 'PT3H', to: 'PT5H', level: 'hard', inFlight: 'pause' }],
      },
    });
  });

  it('an empty scenario is a calm world', () => {
    expect(validateScenario({})).toEqual({ ok: true, problems: [], scenario: scenarioSchema.parse({}) });
  });

  it.each<[string, unknown, Array<[string, string | undefined, string]>]>([
    [
      'to before from',
      { alarms: [{ alarm: 'prod-eu-5xx-rate', state: 'ALARM', from: 'PT1H', to: 'PT30M' }] },
      [['scenario.empty-interval', 'alarms[0].to', 'error']],
    ],
    [
      'to equal to from',
      { monitoring: [{ from: 'PT1H', to: 'PT60M' }] },
      [['scenario.empty-interval', 'monitoring[0].to', 'error']],
    ],
    [
      'an empty freeze',
      { freezes: [{ environments: ['*'], level: 'soft', from: 'PT1H', to: 'PT1H' }] },
      [['scenario.empty-interval', 'freezes[0].to', 'error']],
    ],
    [
      'an approval for an unknown phase',
      { approvals: [{ phase: 'canary', at: 'PT5M', decision: 'approve', by: 'o' }] },
      [['scenario.unknown-phase', 'approvals[0].phase', 'error']],
    ],
    [
      'two approvals for one phase',
      {
        approvals: [
          { phase: 'staging', at: 'PT5M', decision: 'approve', by: 'o' },
          { phase: 'staging', at: 'PT6M', decision: 'reject', by: 'p' },
        ],
      },
      [['scenario.duplicate-approval', 'approvals[1].phase', 'error']],
    ],
    [
      'an approval for a phase without a gate',
      { approvals: [{ phase: 'dev', at: 'PT5M', decision: 'approve', by: 'o' }] },
      [['scenario.approval-without-gate', 'approvals[0].phase', 'warning']],
    ],
    [
      'an alarm no phase watches',
      { alarms: [{ alarm: 'qa-5xx-rate', state: 'ALARM', from: 'PT0S' }] },
      [['scenario.unknown-alarm', 'alarms[0].alarm', 'warning']],
    ],
    [
      'a freeze that matches no environment',
      { freezes: [{ environments: ['qa-*'], level: 'hard', from: 'PT0S' }] },
      [['scenario.freeze-matches-nothing', 'freezes[0].environments', 'warning']],
    ],
    [
      'overlapping scripts for one alarm',
      {
        alarms: [
          { alarm: 'dev-5xx-rate', state: 'ALARM', from: 'PT0S', to: 'PT10M' },
          { alarm: 'dev-5xx-rate', state: 'OK', from: 'PT5M' },
        ],
      },
      [['scenario.overlap', 'alarms[1]', 'warning']],
    ],
    [
      'a calendar unit',
      { alarms: [{ alarm: 'dev-5xx-rate', state: 'ALARM', from: 'P1M' }] },
      [['scenario.invalid-duration', 'alarms[0].from', 'error']],
    ],
    [
      'an unknown alarm state',
      { alarms: [{ alarm: 'dev-5xx-rate', state: 'RED', from: 'PT0S' }] },
      [['field.invalid', 'alarms[0].state', 'error']],
    ],
    [
      'an unknown decision',
      { approvals: [{ phase: 'staging', at: 'PT5M', decision: 'maybe', by: 'o' }] },
      [['field.invalid', 'approvals[0].decision', 'error']],
    ],
    ['an unknown field', { alarm: [] }, [['field.unknown', 'alarm', 'error']]],
    ['not an object', 42, [['field.type', '', 'error']]],
  ])('reports %s', (_rule, input, expected) => {
    expect(codes(input)).toEqual(expected);
    const result = validateScenario(input, { strategy: standard });
    expect(result.ok).toBe(expected.every(([, , severity]) => severity === 'warning'));
  });

  it.each([
    ['stagin', ' (did you mean "staging"?)'],
    ['canary', ''],
  ])('suggests the closest phase for %s', (phase, hint) => {
    const input = { approvals: [{ phase, at: 'PT5M', decision: 'approve', by: 'o' }] };
    expect(validateScenario(input, { strategy: standard }).problems[0]?.message).toBe(
      `strategy "standard" has no phase "${phase}"${hint}; its phases are dev, staging, prod-canary, prod`,
    );
  });

  it('without a strategy, phase and alarm names are not checked', () => {
    const input = {
      approvals: [{ phase: 'canary', at: 'PT5M', decision: 'approve', by: 'o' }],
      alarms: [{ alarm: 'x', state: 'ALARM', from: 'PT0S' }],
    };
    expect(codes(input, false)).toEqual([]);
  });

  it('reports every problem at once, next to malformed entries', () => {
    const input = {
      alarms: [
        { alarm: 'dev-5xx-rate', state: 'ALARM', from: 'PT1H', to: 'PT1M' },
        { alarm: 'x', state: 'ALARM' },
      ],
      approvals: [{ phase: 'nope', at: 'PT5M', decision: 'approve', by: 'o' }],
    };
    expect(codes(input)).toEqual([
      ['field.required', 'alarms[1].from', 'error'],
      ['scenario.empty-interval', 'alarms[0].to', 'error'],
      ['scenario.unknown-phase', 'approvals[0].phase', 'error'],
    ]);
  });
});
