import { describe, expect, it } from 'vitest';
import { formatTimeline, simulationReport } from '#domain/rollout/simulation-report.ts';
import type { Draft } from './fixtures.ts';
import { T0, atMinute, checked, deployed, happyTwoPhases, standard, started, stream } from './fixtures.ts';

const alarmAt50 = (): Draft => ({
  type: 'HealthChecked',
  phase: 'prod-canary',
  verdict: 'unhealthy',
  alarms: [
    { name: 'prod-eu-5xx-rate', state: 'ALARM' },
    { name: 'prod-eu-checkout-p99', state: 'OK' },
  ],
  consecutiveUnknown: 0,
});
const checks = (phase: string, from: number, to: number): Array<[number, Draft]> =>
  Array.from({ length: to - from + 1 }, (_, i): [number, Draft] => [from + i, checked(phase)]);

/** The standard strategy: staging approved at +25m, an alarm in prod-canary at +50m, rolled back. */
const alarmInPhase3 = () =>
  stream([
    [0, started(standard)],
    [0, { type: 'PhaseStarted', phase: 'dev' }],
    [0, deployed('dev', 'dev')],
    ...checks('dev', 1, 5),
    [5, { type: 'PhaseBaked', phase: 'dev' }],
    [5, { type: 'PhaseStarted', phase: 'staging' }],
    [5, deployed('staging', 'staging')],
    ...checks('staging', 6, 20),
    [20, { type: 'PhaseBaked', phase: 'staging' }],
    [20, { type: 'ApprovalRequested', phase: 'staging' }],
    [25, { type: 'ApprovalGranted', phase: 'staging', by: 'olivia' }],
    [25, { type: 'PhaseStarted', phase: 'prod-canary' }],
    [25, deployed('prod-canary', 'prod-eu')],
    ...checks('prod-canary', 26, 49),
    [50, alarmAt50()],
    [50, { type: 'RollbackStarted', reason: 'ALARM prod-eu-5xx-rate' }],
    [
      51,
      {
        type: 'PhaseRolledBack',
        phase: 'prod-canary',
        environment: 'prod-eu',
        deploymentId: 'dpl-prod-eu-2',
      },
    ],
    [
      51,
      { type: 'PhaseRolledBack', phase: 'staging', environment: 'staging', deploymentId: 'dpl-staging-2' },
    ],
    [52, { type: 'PhaseRolledBack', phase: 'dev', environment: 'dev', deploymentId: 'dpl-dev-2' }],
    [52, { type: 'RolledBack' }],
  ]);

describe('simulationReport', () => {
  it('tells the story of a rollback readably', () => {
    const report = simulationReport(alarmInPhase3(), T0);
    expect(report.outcome).toBe('rolled-back');
    expect(formatTimeline(report)).toBe(
      [
        '+00:00:00  -            checkout-timeouts@3 with strategy standard (4 phases) by olivia',
        '+00:00:00  dev          phase started',
        '+00:00:00  dev          dev deployed dpl-dev-1 (snapshot snap-dev-0 → snap-dev-1)',
        '+00:01:00  dev          healthy',
        '+00:05:00  dev          healthy → advance',
        '+00:05:00  dev          baked',
        '+00:05:00  staging      phase started',
        '+00:05:00  staging      staging deployed dpl-staging-1 (snapshot snap-staging → snap-staging)',
        '+00:06:00  staging      healthy',
        '+00:20:00  staging      healthy → advance',
        '+00:20:00  staging      baked',
        '+00:20:00  staging      approval requested',
        '+00:25:00  staging      approved by olivia',
        '+00:25:00  prod-canary  phase started',
        '+00:25:00  prod-canary  prod-eu deployed dpl-prod-eu-1 (snapshot snap-prod-eu → snap-prod-eu)',
        '+00:26:00  prod-canary  healthy',
        '+00:50:00  prod-canary  ALARM prod-eu-5xx-rate → rollback',
        '+00:50:00  prod-canary  rollback: ALARM prod-eu-5xx-rate',
        '+00:51:00  prod-canary  prod-eu rolled back by dpl-prod-eu-2',
        '+00:51:00  staging      staging rolled back by dpl-staging-2',
        '+00:52:00  dev          dev rolled back by dpl-dev-2',
        '+00:52:00  prod-canary  rollback complete',
        '',
        'outcome: rolled-back (ALARM prod-eu-5xx-rate)',
        'exposure:',
        '  dev      +00:00:00 → +00:52:00  52m  rolled back',
        '  staging  +00:05:00 → +00:51:00  46m  rolled back',
        '  prod-eu  +00:25:00 → +00:51:00  26m  rolled back',
        '',
      ].join('\n'),
    );
  });

  it('exposure runs from the first deployment until the rollback, with instants and offsets', () => {
    const { exposure } = simulationReport(alarmInPhase3(), T0);
    expect(exposure[2]).toEqual({
      environment: 'prod-eu',
      phases: ['prod-canary'],
      from: atMinute(25),
      to: atMinute(51),
      fromOffset: '+00:25:00',
      toOffset: '+00:51:00',
      durationMs: 26 * 60_000,
      rolledBack: true,
    });
  });

  it('a successful rollout leaves its environments exposed to the end', () => {
    const report = simulationReport(happyTwoPhases(), T0);
    expect(report).toMatchObject({
      outcome: 'succeeded',
      reason: null,
      endedAt: atMinute(23),
      anomalies: [],
    });
    expect(report.exposure.map((e) => [e.environment, e.toOffset, e.rolledBack])).toEqual([
      ['dev', '+00:23:00', false],
      ['staging', '+00:23:00', false],
      ['prod-eu', '+00:23:00', false],
    ]);
    expect(formatTimeline(report)).toContain(
      '  prod-eu  +00:13:00 → +00:23:00  10m  still deployed at the end',
    );
  });

  it('lists every health check when asked', () => {
    const events = alarmInPhase3();
    const count = events.filter((e) => e.type === 'HealthChecked').length;
    const all = simulationReport(events, T0, { allChecks: true }).timeline.filter(
      (e) => e.event === 'HealthChecked',
    );
    expect(all).toHaveLength(count);
    expect(simulationReport(events, T0).timeline.filter((e) => e.event === 'HealthChecked')).toHaveLength(6);
  });

  it('shows ignored events with the reason, and does not count them as consequences', () => {
    const events = stream([
      [0, started()],
      [0, { type: 'PhaseStarted', phase: 'first' }],
      [1, deployed('first', 'dev')],
      [1, deployed('first', 'staging')],
      [2, checked('first', 'unknown', 1)],
      [3, { type: 'PhaseBaked', phase: 'second' }],
      [3, { type: 'Paused', by: 'olivia', reason: 'looking' }],
    ]);
    const report = simulationReport(events, T0);
    expect(report.timeline.map((e) => e.detail)).toEqual([
      expect.any(String),
      'phase started',
      expect.stringContaining('deployed'),
      expect.stringContaining('deployed'),
      'unknown (1 in a row)',
      'baked (ignored: phase second is not the current phase (first))',
      'paused by olivia: looking',
    ]);
    expect(report.outcome).toBe('paused');
    expect(report.anomalies).toHaveLength(1);
  });

  it('an empty simulation ends where it started', () => {
    const report = simulationReport([], T0);
    expect(report).toEqual({
      outcome: 'pending',
      reason: null,
      startedAt: T0,
      endedAt: T0,
      timeline: [],
      exposure: [],
      anomalies: [],
    });
    expect(formatTimeline(report)).toBe('\noutcome: pending\n');
  });
});
