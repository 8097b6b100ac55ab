import { describe, expect, it } from 'vitest';
import {
  currentExecutionName,
  executionEndStep,
  workflowGone,
  type ExecutionEnd,
} from '#domain/rollout/execution-end.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import { strategySchema, type Strategy } from '#domain/rollout/strategy.ts';
import { checked, deployed, started, stream, twoPhases, type Draft } from './fixtures.ts';

const withPolicy = (action: 'pause' | 'rollback', automatic = true): Strategy =>
  strategySchema.parse({
    ...twoPhases,
    health: { ...twoPhases.health, unknown: { after: 2, action } },
    rollback: { automatic },
  });

/** A rollout of `strategy` baking its first phase in execution `ro-1`, then `more`. */
const rollout = (strategy: Strategy = twoPhases, more: Draft[] = []): RolloutState =>
  reduceRollout(
    stream([
      [0, started(strategy)],
      [0, { type: 'PhaseStarted', phase: 'first' }],
      [1, deployed('first', 'dev')],
      [2, deployed('first', 'staging')],
      [3, checked('first')],
      ...more.map((draft): [number, Draft] => [4, draft]),
    ]),
  );

const died = (executionName = 'ro-1', status: ExecutionEnd['status'] = 'FAILED'): ExecutionEnd => ({
  executionName,
  status,
  error: 'States.Runtime',
  cause: "The JSONPath '$.MetricAlarms[*].StateValue' could not be found",
});

const REASON =
  "workflow execution ro-1 ended FAILED: States.Runtime (The JSONPath '$.MetricAlarms[*].StateValue' could not be found)";

describe('executionEndStep: which ends the rollout ignores', () => {
  const handedOver: Draft = { type: 'ContinuedAsNew', executionName: 'ro-1--2' };
  const recorded: Draft = {
    type: 'ExecutionEnded',
    executionName: 'ro-1',
    status: 'FAILED',
    reason: 'x',
    action: 'none',
  };
  it.each<[string, RolloutState, ExecutionEnd, string]>([
    [
      'an execution that ended normally',
      rollout(),
      died('ro-1', 'SUCCEEDED'),
      'the execution ended normally',
    ],
    ['a rollout that does not exist', reduceRollout([]), died(), 'no such rollout'],
    [
      'a rollout that has ended',
      rollout(twoPhases, [{ type: 'Failed', reason: 'gone' }]),
      died(),
      'the rollout already ended failed',
    ],
    [
      'an execution the rollout was handed over from',
      rollout(twoPhases, [handedOver]),
      died('ro-1', 'ABORTED'),
      'superseded: the rollout goes on in ro-1--2',
    ],
    ['an end already recorded (delivered twice)', rollout(twoPhases, [recorded]), died(), 'already recorded'],
  ])('%s', (_case, state, end, why) => {
    expect(executionEndStep(state, end)).toEqual({ record: false, why });
  });
});

describe('executionEndStep: what a rollout whose execution ended does', () => {
  it.each<[string, Strategy, Draft[], 'pause' | 'rollback' | 'none', Draft[]]>([
    [
      'running, unknown.action pause: records it and pauses',
      withPolicy('pause'),
      [],
      'pause',
      [{ type: 'Paused', reason: `${REASON}; paused (unknown.action pause)` }],
    ],
    [
      'running, unknown.action rollback: records it and rolls back',
      withPolicy('rollback'),
      [],
      'rollback',
      [{ type: 'RollbackStarted', reason: REASON }],
    ],
    [
      'running, unknown.action rollback with automatic rollback off: pauses',
      withPolicy('rollback', false),
      [],
      'pause',
      [{ type: 'Paused', reason: `${REASON}; paused (automatic rollback is off)` }],
    ],
    [
      'paused already: records it, stays paused',
      withPolicy('rollback'),
      [{ type: 'Paused', by: 'olivia', reason: 'look' }],
      'none',
      [],
    ],
    [
      'rolling back: a fresh execution carries the rollback out',
      withPolicy('pause'),
      [{ type: 'RollbackStarted', reason: 'ALARM dev-5xx' }],
      'rollback',
      [],
    ],
  ])('%s', (_case, strategy, more, action, then) => {
    const step = executionEndStep(rollout(strategy, more), died());
    expect(step).toEqual({
      record: true,
      action,
      reason: REASON,
      drafts: [
        { type: 'ExecutionEnded', executionName: 'ro-1', status: 'FAILED', reason: REASON, action },
        ...then,
      ],
    });
  });

  it('rescues a rollback once: the rescue dying too leaves it rolling back', () => {
    const first = executionEndStep(rollout(withPolicy('rollback')), died());
    if (!first.record) throw new Error('recorded');
    const rescued = rollout(withPolicy('rollback'), [
      ...first.drafts,
      { type: 'ContinuedAsNew', executionName: 'ro-1--2' },
    ]);
    expect(rescued).toMatchObject({ status: 'rolling-back', rollbackRescued: true, workflowEnded: null });
    const again = executionEndStep(rescued, died('ro-1--2', 'TIMED_OUT'));
    expect(again).toMatchObject({ record: true, action: 'none' });
  });

  it('names the end without error or cause when the execution reported none, within 2000 characters', () => {
    const bare = executionEndStep(rollout(withPolicy('pause')), { executionName: 'ro-1', status: 'ABORTED' });
    expect(bare).toMatchObject({ reason: 'workflow execution ro-1 ended ABORTED' });
    const long = executionEndStep(rollout(withPolicy('pause')), { ...died(), cause: 'x'.repeat(5000) });
    if (!long.record) throw new Error('recorded');
    expect(long.reason).toHaveLength(2000);
    expect(
      reduceRollout(stream([[5, long.drafts[1] as Draft]], 6), rollout(withPolicy('pause'))),
    ).toMatchObject({ status: 'paused', anomalies: [] });
  });
});

describe('the reduced state of an ended execution', () => {
  it('records the end; a fresh execution clears it; workflowGone says whether one is left', () => {
    const step = executionEndStep(rollout(withPolicy('pause')), died());
    if (!step.record) throw new Error('recorded');
    const ended = rollout(withPolicy('pause'), step.drafts);
    expect(ended).toMatchObject({
      status: 'paused',
      reason: `${REASON}; paused (unknown.action pause)`,
      workflowEnded: { executionName: 'ro-1', status: 'FAILED', reason: REASON },
      anomalies: [],
    });
    expect(workflowGone(ended)).toBe(true);
    expect(workflowGone(rollout())).toBe(false);
    const resumed = rollout(withPolicy('pause'), [
      ...step.drafts,
      { type: 'Resumed', by: 'olivia' },
      { type: 'ContinuedAsNew', executionName: 'ro-1--2' },
    ]);
    expect(resumed).toMatchObject({ status: 'running', workflowEnded: null });
    expect(currentExecutionName(resumed)).toBe('ro-1--2');
    expect(workflowGone(resumed)).toBe(false);
  });

  it('is not gone once the rollout ended', () => {
    const step = executionEndStep(rollout(withPolicy('rollback')), died());
    if (!step.record) throw new Error('recorded');
    const done = rollout(withPolicy('rollback'), [
      ...step.drafts,
      { type: 'PhaseRolledBack', phase: 'first', environment: 'staging', deploymentId: 'd2' },
      { type: 'PhaseRolledBack', phase: 'first', environment: 'dev', deploymentId: 'd1' },
      { type: 'RolledBack' },
    ]);
    expect(done.status).toBe('rolled-back');
    expect(workflowGone(done)).toBe(false);
  });

  it('ignores the end of an execution the rollout does not run in', () => {
    const state = rollout(twoPhases, [
      { type: 'ExecutionEnded', executionName: 'ro-9', status: 'ABORTED', reason: 'x', action: 'none' },
    ]);
    expect(state.workflowEnded).toBeNull();
    expect(state.anomalies).toEqual([
      expect.objectContaining({ type: 'ExecutionEnded', reason: 'the rollout runs in ro-1, not ro-9' }),
    ]);
  });
});
