import { describe, expect, it } from 'vitest';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import { initialRolloutState } from '#domain/rollout/state.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import type { Draft } from './fixtures.ts';
import { atMinute, checked, deployed, happyTwoPhases, standard, started, stream } from './fixtures.ts';

const reduce = (drafts: ReadonlyArray<readonly [number, Draft]>): RolloutState =>
  reduceRollout(stream(drafts));
const begin: Array<[number, Draft]> = [
  [0, started()],
  [0, { type: 'PhaseStarted', phase: 'first' }],
];
const firstDeployed: Array<[number, Draft]> = [
  ...begin,
  [1, deployed('first', 'dev')],
  [2, deployed('first', 'staging')],
];

describe('reduceRollout: the happy path', () => {
  it('an empty stream is a pending rollout with nothing in it', () => {
    expect(reduceRollout([])).toEqual(initialRolloutState());
  });

  it('two phases deployed, baked and succeeded', () => {
    const state = reduceRollout(happyTwoPhases());
    expect(state).toMatchObject({
      id: 'ro-1',
      bundle: { name: 'checkout-timeouts', version: '3' },
      startedBy: 'olivia',
      startedAt: atMinute(0),
      endedAt: atMinute(23),
      status: 'succeeded',
      currentPhase: 'second',
      currentPhaseIndex: 1,
      anomalies: [],
      eventCount: 11,
      lastSeq: 11,
    });
    expect(state.phases[0]).toEqual({
      name: 'first',
      environments: ['dev', 'staging'],
      status: 'baked',
      approval: false,
      percentage: null,
      bakeMs: 600_000,
      startedAt: atMinute(0),
      deployedAt: atMinute(1),
      bakeStartedAt: atMinute(2),
      bakedUntil: atMinute(12),
      approvalRequestedAt: null,
      deployments: [
        {
          environment: 'dev',
          deploymentId: 'dpl-dev-1',
          previousSnapshot: 'snap-dev-0',
          snapshot: 'snap-dev-1',
          deployedAt: atMinute(1),
          rolledBackAt: null,
        },
        {
          environment: 'staging',
          deploymentId: 'dpl-staging-1',
          previousSnapshot: 'snap-staging-0',
          snapshot: 'snap-staging-1',
          deployedAt: atMinute(2),
          rolledBackAt: null,
        },
      ],
    });
    expect(state.rollbackPlan.map((s) => s.environment)).toEqual(['prod-eu', 'staging', 'dev']);
  });

  it('the bake clock starts when the last environment of the phase is deployed', () => {
    const state = reduce(firstDeployed);
    expect(state.phases[0]).toMatchObject({
      status: 'baking',
      bakeStartedAt: atMinute(2),
      bakedUntil: atMinute(12),
    });
    expect(reduce(firstDeployed.slice(0, -1)).phases[0]).toMatchObject({
      status: 'deploying',
      bakedUntil: null,
    });
  });
});

describe('reduceRollout: transitions', () => {
  it.each<[string, Array<[number, Draft]>, Draft, Record<string, unknown>]>([
    [
      'RolloutStarted → pending until the first phase starts',
      [],
      started(),
      { status: 'pending', currentPhase: null },
    ],
    [
      'PhaseStarted → running, phase deploying',
      [[0, started()]],
      { type: 'PhaseStarted', phase: 'first' },
      { status: 'running', currentPhase: 'first' },
    ],
    [
      'HealthChecked records the verdict and the unknown count',
      firstDeployed,
      checked('first', 'unknown', 2),
      {
        consecutiveUnknown: 2,
        lastHealth: expect.objectContaining({ verdict: 'unknown', phase: 'first', reason: null }),
      },
    ],
    [
      'Paused while running → paused',
      firstDeployed,
      { type: 'Paused', by: 'olivia', reason: 'investigating' },
      { status: 'paused', reason: 'investigating', pausedFrom: 'running' },
    ],
    [
      'Paused while pending → paused',
      [[0, started()]],
      { type: 'Paused', reason: 'freeze' },
      { status: 'paused', pausedFrom: 'pending' },
    ],
    [
      'Resumed → back where it was',
      [...firstDeployed, [3, { type: 'Paused', reason: 'x' }]],
      { type: 'Resumed', by: 'olivia' },
      { status: 'running', reason: null, pausedFrom: null },
    ],
    [
      'Promoted while baking marks the phase promoted',
      firstDeployed,
      { type: 'Promoted', by: 'olivia' },
      { promoted: true },
    ],
    [
      'PhaseBaked clears the promotion',
      [...firstDeployed, [3, { type: 'Promoted', by: 'o' }]],
      { type: 'PhaseBaked', phase: 'first' },
      { promoted: false },
    ],
    [
      'FreezeApplied records the window and its policy',
      firstDeployed,
      { type: 'FreezeApplied', policy: 'pause', windows: ['fw-1'] },
      { freeze: { at: atMinute(5), policy: 'pause', windows: ['fw-1'] }, status: 'running' },
    ],
    [
      'ContinuedAsNew records the execution',
      firstDeployed,
      { type: 'ContinuedAsNew', executionName: 'ro-1-2' },
      { executionName: 'ro-1-2', continuedAsNew: 1 },
    ],
    [
      'AbortRequested → rolling-back by an operator',
      firstDeployed,
      { type: 'AbortRequested', by: 'olivia', reason: 'wrong bundle' },
      { status: 'rolling-back', rollbackCause: 'operator', reason: 'aborted by olivia: wrong bundle' },
    ],
    [
      'AbortRequested while paused → rolling-back',
      [...firstDeployed, [3, { type: 'Paused', reason: 'x' }]],
      { type: 'AbortRequested', by: 'o', reason: 'r' },
      { status: 'rolling-back', pausedFrom: null },
    ],
    [
      'RollbackStarted → rolling-back automatically',
      firstDeployed,
      { type: 'RollbackStarted', reason: 'ALARM dev-5xx' },
      { status: 'rolling-back', rollbackCause: 'automatic', reason: 'ALARM dev-5xx' },
    ],
    [
      'RollbackStarted during an abort keeps the abort',
      [...firstDeployed, [3, { type: 'AbortRequested', by: 'o', reason: 'r' }]],
      { type: 'RollbackStarted', reason: 'abort' },
      { rollbackCause: 'operator', reason: 'aborted by o: r' },
    ],
    [
      'Failed → failed, never-started phases skipped',
      firstDeployed,
      { type: 'Failed', reason: 'deploy handler gave up' },
      { status: 'failed', reason: 'deploy handler gave up', endedAt: atMinute(5) },
    ],
  ])('%s', (_rule, prefix, event, expected) => {
    const state = reduce([...prefix, [5, event]]);
    expect(state.anomalies).toEqual([]);
    expect(state).toMatchObject(expected);
  });

  it('Failed marks phases that never started as skipped and keeps what is deployed in the plan', () => {
    const state = reduce([...firstDeployed, [5, { type: 'Failed', reason: 'x' }]]);
    expect(state.phases.map((p) => p.status)).toEqual(['baking', 'skipped']);
    expect(state.rollbackPlan.map((s) => s.environment)).toEqual(['staging', 'dev']);
  });
});

describe('reduceRollout: the approval gate', () => {
  const gated = {
    ...standard,
    phases: [{ ...standard.phases[1]!, environments: ['dev'] }, standard.phases[2]!],
  };
  const baked: Array<[number, Draft]> = [
    [0, started(gated)],
    [0, { type: 'PhaseStarted', phase: 'staging' }],
    [1, deployed('staging', 'dev')],
    [16, checked('staging')],
    [16, { type: 'PhaseBaked', phase: 'staging' }],
    [16, { type: 'ApprovalRequested', phase: 'staging' }],
  ];

  it('ApprovalRequested after the bake → awaiting-approval', () => {
    const state = reduce(baked);
    expect(state.status).toBe('awaiting-approval');
    expect(state.phases[0]).toMatchObject({
      status: 'awaiting-approval',
      approval: true,
      approvalRequestedAt: atMinute(16),
    });
  });

  it.each<[string, Draft, Record<string, unknown>, string]>([
    [
      'granted → running, phase baked',
      { type: 'ApprovalGranted', phase: 'staging', by: 'olivia' },
      { status: 'running' },
      'baked',
    ],
    [
      'rejected → rolling back, ends aborted',
      { type: 'ApprovalRejected', phase: 'staging', by: 'olivia', reason: 'not today' },
      { status: 'rolling-back', rollbackCause: 'operator', reason: 'approval rejected by olivia: not today' },
      'baked',
    ],
    [
      'timed out → rolling back, ends rolled-back',
      { type: 'ApprovalTimedOut', phase: 'staging' },
      { status: 'rolling-back', rollbackCause: 'automatic', reason: 'approval of phase staging timed out' },
      'baked',
    ],
  ])('%s', (_rule, event, expected, phaseStatus) => {
    const state = reduce([...baked, [30, event]]);
    expect(state.anomalies).toEqual([]);
    expect(state).toMatchObject(expected);
    expect(state.phases[0]?.status).toBe(phaseStatus);
  });

  it('the next phase cannot start before the approval', () => {
    const state = reduce([...baked, [30, { type: 'PhaseStarted', phase: 'prod-canary' }]]);
    expect(state.anomalies).toEqual([
      expect.objectContaining({ type: 'PhaseStarted', reason: expect.stringMatching(/awaiting-approval/) }),
    ]);
  });

  it('a rejected rollout ends aborted once rolled back', () => {
    const state = reduce([
      ...baked,
      [30, { type: 'ApprovalRejected', phase: 'staging', by: 'olivia', reason: 'no' }],
      [31, { type: 'PhaseRolledBack', phase: 'staging', environment: 'dev', deploymentId: 'dpl-dev-2' }],
      [31, { type: 'RolledBack' }],
    ]);
    expect(state.status).toBe('aborted');
    expect(state.phases.map((p) => p.status)).toEqual(['rolled-back', 'skipped']);
  });
});
