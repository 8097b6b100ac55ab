import { describe, expect, it } from 'vitest';
import { formatTimeline, simulationReport } from '#domain/rollout/simulation-report.ts';
import { strategySchema } from '#domain/rollout/strategy.ts';
import { T0, atMinute, checked, deployed, started, stream } from './fixtures.ts';

const KEY = 'payments.checkout.newFlow';
const ramp = strategySchema.parse({
  name: 'ramp',
  phases: [1, 5, 25].map((percent) => ({
    name: `eu-${percent}`,
    environments: ['prod-eu'],
    bake: 'PT5M',
    flag: { key: KEY, percent },
  })),
  health: { alarms: ['{env}-5xx-rate'] },
});

describe('simulation report of a flag rollout', () => {
  it('reports the flag share over time per environment, and its restoration by the rollback', () => {
    const events = stream([
      [0, started(ramp)],
      [0, { type: 'PhaseStarted', phase: 'eu-1' }],
      [0, deployed('eu-1', 'prod-eu', 1)],
      [5, checked('eu-1')],
      [5, { type: 'PhaseBaked', phase: 'eu-1' }],
      [5, { type: 'PhaseStarted', phase: 'eu-5' }],
      [5, deployed('eu-5', 'prod-eu', 2)],
      [7, { type: 'RollbackStarted', reason: 'ALARM prod-eu-5xx-rate' }],
      [7, { type: 'PhaseRolledBack', phase: 'eu-5', environment: 'prod-eu', deploymentId: 'dpl-prod-eu-3' }],
      [7, { type: 'RolledBack' }],
    ]);
    const report = simulationReport(events, T0);
    expect(report.outcome).toBe('rolled-back');
    expect(report.exposure).toEqual([
      expect.objectContaining({
        environment: 'prod-eu',
        rolledBack: true,
        flags: [
          { key: KEY, percent: 1, at: atMinute(0), offset: '+00:00:00' },
          { key: KEY, percent: 5, at: atMinute(5), offset: '+00:05:00' },
          { key: KEY, percent: null, at: atMinute(7), offset: '+00:07:00' },
        ],
      }),
    ]);
    expect(formatTimeline(report)).toContain(`flag ${KEY}: 1% +00:00:00 → 5% +00:05:00 → restored +00:07:00`);
  });
});
