import { describe, expect, it } from 'vitest';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import { strategySchema } from '#domain/rollout/strategy.ts';
import type { Draft } from './fixtures.ts';
import { atMinute, checked, deployed, standard, started, stream } from './fixtures.ts';

const ungated = { ...standard, phases: standard.phases.map((p) => ({ ...p, approval: false })) };
const throughPhase = (count: number): Array<[number, Draft]> => {
  const drafts: Array<[number, Draft]> = [[0, started(ungated)]];
  ungated.phases.slice(0, count).forEach((phase, i) => {
    const minute = i * 100;
    drafts.push([minute, { type: 'PhaseStarted', phase: phase.name }]);
    drafts.push([minute + 1, deployed(phase.name, phase.environments[0]!)]);
    if (i < count - 1) {
      drafts.push([minute + 99, checked(phase.name)]);
      drafts.push([minute + 99, { type: 'PhaseBaked', phase: phase.name }]);
    }
  });
  return drafts;
};
const rolledBack = (phase: string, environment: string): Draft => ({
  type: 'PhaseRolledBack',
  phase,
  environment,
  deploymentId: `dpl-${environment}-2`,
});

describe('reduceRollout: rollback', () => {
  it('an alarm in phase 3 plans to restore phases 3, 2 and 1, newest first, to their snapshots before the rollout', () => {
    const state = reduceRollout(
      stream([...throughPhase(3), [210, { type: 'RollbackStarted', reason: 'ALARM prod-eu-5xx-rate' }]]),
    );
    expect(state.status).toBe('rolling-back');
    expect(state.rollbackPlan).toEqual([
      {
        phase: 'prod-canary',
        environment: 'prod-eu',
        restoreSnapshot: 'snap-prod-eu-0',
        deploymentId: 'dpl-prod-eu-1',
      },
      {
        phase: 'staging',
        environment: 'staging',
        restoreSnapshot: 'snap-staging-0',
        deploymentId: 'dpl-staging-1',
      },
      { phase: 'dev', environment: 'dev', restoreSnapshot: 'snap-dev-0', deploymentId: 'dpl-dev-1' },
    ]);
  });

  it('each PhaseRolledBack takes its environment off the plan; RolledBack ends rolled-back and skips the rest', () => {
    const state = reduceRollout(
      stream([
        ...throughPhase(3),
        [210, { type: 'RollbackStarted', reason: 'ALARM prod-eu-5xx-rate' }],
        [211, rolledBack('prod-canary', 'prod-eu')],
        [212, rolledBack('staging', 'staging')],
        [213, rolledBack('dev', 'dev')],
        [213, { type: 'RolledBack' }],
      ]),
    );
    expect(state.anomalies).toEqual([]);
    expect(state).toMatchObject({ status: 'rolled-back', endedAt: atMinute(213), rollbackPlan: [] });
    expect(state.phases.map((p) => p.status)).toEqual([
      'rolled-back',
      'rolled-back',
      'rolled-back',
      'skipped',
    ]);
    expect(state.phases[2]?.deployments[0]?.rolledBackAt).toBe(atMinute(211));
  });

  it('never claims rolled-back while an environment still runs the new configuration', () => {
    const state = reduceRollout(
      stream([
        ...throughPhase(2),
        [150, { type: 'RollbackStarted', reason: 'x' }],
        [151, rolledBack('staging', 'staging')],
        [152, { type: 'RolledBack' }],
      ]),
    );
    expect(state.status).toBe('rolling-back');
    expect(state.anomalies).toEqual([
      expect.objectContaining({ type: 'RolledBack', reason: expect.stringContaining('dev') }),
    ]);
  });

  it('an abort ends aborted', () => {
    const state = reduceRollout(
      stream([
        ...throughPhase(1),
        [5, { type: 'AbortRequested', by: 'olivia', reason: 'wrong bundle' }],
        [6, rolledBack('dev', 'dev')],
        [6, { type: 'RolledBack' }],
      ]),
    );
    expect(state.status).toBe('aborted');
  });

  it('a deployment that lands after the abort is still rolled back', () => {
    const state = reduceRollout(
      stream([
        [0, started(ungated)],
        [0, { type: 'PhaseStarted', phase: 'dev' }],
        [1, { type: 'AbortRequested', by: 'olivia', reason: 'stop' }],
        [2, deployed('dev', 'dev')],
      ]),
    );
    expect(state.anomalies).toEqual([]);
    expect(state.rollbackPlan.map((s) => s.environment)).toEqual(['dev']);
    expect(state.phases[0]?.status).toBe('deploying');
  });

  it('an abort before anything was deployed skips the started phase', () => {
    const state = reduceRollout(
      stream([
        [0, started(ungated)],
        [0, { type: 'PhaseStarted', phase: 'dev' }],
        [1, { type: 'AbortRequested', by: 'olivia', reason: 'stop' }],
        [1, { type: 'RolledBack' }],
      ]),
    );
    expect(state.status).toBe('aborted');
    expect(state.phases.map((p) => p.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
  });

  it('a phase is rolled back only once all its environments are', () => {
    const wide = strategySchema.parse({
      ...ungated,
      phases: [{ name: 'all', environments: ['dev', 'staging'], bake: 'PT5M' }],
    });
    const drafts: Array<[number, Draft]> = [
      [0, started(wide)],
      [0, { type: 'PhaseStarted', phase: 'all' }],
      [1, deployed('all', 'dev')],
      [1, deployed('all', 'staging')],
      [2, { type: 'RollbackStarted', reason: 'x' }],
      [3, rolledBack('all', 'staging')],
    ];
    expect(reduceRollout(stream(drafts)).phases[0]?.status).toBe('baking');
    expect(reduceRollout(stream([...drafts, [4, rolledBack('all', 'dev')]])).phases[0]?.status).toBe(
      'rolled-back',
    );
  });

  it('percentage steps in one environment restore the snapshot from before the first step, once', () => {
    const steps = strategySchema.parse({
      ...ungated,
      phases: [
        { name: 'eu-10', environments: ['prod-eu'], bake: 'PT5M', percentage: 10 },
        { name: 'eu', environments: ['prod-eu'], bake: 'PT5M' },
      ],
    });
    const state = reduceRollout(
      stream([
        [0, started(steps)],
        [0, { type: 'PhaseStarted', phase: 'eu-10' }],
        [1, deployed('eu-10', 'prod-eu', 1)],
        [6, checked('eu-10')],
        [6, { type: 'PhaseBaked', phase: 'eu-10' }],
        [6, { type: 'PhaseStarted', phase: 'eu' }],
        [7, deployed('eu', 'prod-eu', 2)],
        [8, { type: 'RollbackStarted', reason: 'x' }],
      ]),
    );
    expect(state.rollbackPlan).toEqual([
      {
        phase: 'eu',
        environment: 'prod-eu',
        restoreSnapshot: 'snap-prod-eu-0',
        deploymentId: 'dpl-prod-eu-2',
      },
    ]);
    const done = reduceRollout(
      stream(
        [
          [9, rolledBack('eu', 'prod-eu')],
          [9, { type: 'RolledBack' }],
        ],
        9,
      ),
      state,
    );
    expect(done.status).toBe('rolled-back');
    expect(done.phases.map((p) => p.status)).toEqual(['rolled-back', 'rolled-back']);
  });
});
