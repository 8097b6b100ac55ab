import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlarmState } from '#domain/rollout/events.ts';
import { createRolloutHarness, type RolloutHarness } from './harness.ts';

/** Approval gate, operator actions, alarm policies: the real ASL and handlers on DynamoDB Local. */
let h: RolloutHarness;
let baseline: Record<string, string>;

beforeAll(async () => {
  h = await createRolloutHarness();
  baseline = await h.heads();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
});

const twoPhases = (extra: { approval?: boolean; bake?: string; approvalTimeout?: string } = {}) =>
  h.strategy({
    phases: [
      { name: 'dev', environments: ['dev'], bake: extra.bake ?? 'PT5M', approval: extra.approval ?? false },
      { name: 'staging', environments: ['staging'], bake: 'PT5M' },
    ],
    ...(extra.approvalTimeout ? { approvalTimeout: extra.approvalTimeout } : {}),
  });
const statesOf = (execution: { history: { state: string }[] }) => execution.history.map((s) => s.state);
const eventTypes = async (id: string) => (await h.api.store.rollouts.events(id)).map((e) => e.type);

describe('the approval gate', () => {
  const gateStates = ['Await Approval', 'Approved?', 'Approval Timed Out'];

  it('keeps watching after the bake until a release manager approves, then goes on', async () => {
    const execution = await h.start('ro-approve', twoPhases({ approval: true }));
    const waiting = await h.waitFor('ro-approve', (s) => s.status === 'awaiting-approval');
    expect(waiting.phases.map((p) => p.status)).toEqual(['awaiting-approval', 'pending']);
    // No token wait: the loop goes on checking health while the gate is open.
    const watching = await h.runner.until(
      execution.executionId,
      (e) => e.history.filter((s) => s.state === 'Check Health').length >= 8,
    );
    expect(watching.waitingFor).toEqual([]);
    await h.act('ro-approve', 'approve');
    const done = await h.finished(execution);
    expect(done.status).toBe('SUCCEEDED');
    expect(statesOf(done).filter((s) => gateStates.includes(s))).toEqual([]);
    const state = await h.stateOf('ro-approve');
    expect(state.status).toBe('succeeded');
    expect(state.anomalies).toEqual([]);
    expect(await eventTypes('ro-approve')).toEqual(
      expect.arrayContaining(['PhaseBaked', 'ApprovalRequested', 'ApprovalGranted', 'Succeeded']),
    );
  });

  it('rolls back when the approval is rejected (aborted), HEADs restored', async () => {
    const execution = await h.start('ro-reject', twoPhases({ approval: true }));
    await h.waitFor('ro-reject', (s) => s.status === 'awaiting-approval');
    await h.act('ro-reject', 'reject', 'error budget spent');
    const done = await h.finished(execution);
    expect(statesOf(done).at(-1)).toBe('Rolled Back');
    const state = await h.stateOf('ro-reject');
    expect(state.status).toBe('aborted');
    expect(state.reason).toContain('error budget spent');
    expect(state.phases.map((p) => p.status)).toEqual(['rolled-back', 'skipped']);
    expect(await h.heads()).toEqual(baseline);
  });

  it('rolls back when nobody decides within approvalTimeout', async () => {
    const execution = await h.start('ro-timeout', twoPhases({ approval: true, approvalTimeout: 'PT10M' }));
    const done = await h.finished(execution);
    expect(statesOf(done).at(-1)).toBe('Rolled Back');
    const state = await h.stateOf('ro-timeout');
    expect(state.status).toBe('rolled-back');
    expect(state.reason).toMatch(/approval of phase dev timed out/);
    const events = await h.api.store.rollouts.events('ro-timeout');
    const at = (type: string) => Date.parse(events.find((e) => e.type === type)?.at ?? '');
    // Timed out by the workflow's clock, not before approvalTimeout.
    expect(at('ApprovalTimedOut') - at('ApprovalRequested')).toBeGreaterThanOrEqual(10 * 60_000);
    expect(await h.heads()).toEqual(baseline);
  });

  it('an approval recorded as soon as the gate opens is honoured', async () => {
    const execution = await h.start('ro-early', twoPhases({ approval: true }));
    await h.waitFor('ro-early', (s) => s.status === 'awaiting-approval');
    await h.act('ro-early', 'approve');
    expect((await h.finished(execution)).status).toBe('SUCCEEDED');
    expect((await h.stateOf('ro-early')).status).toBe('succeeded');
  });

  it('an alarm during the approval wait rolls back every deployed phase, newest first; the next wave never deploys', async () => {
    const strategy = h.strategy({
      phases: [
        { name: 'dev', environments: ['dev'], bake: 'PT5M' },
        { name: 'staging', environments: ['staging'], bake: 'PT5M', approval: true },
        { name: 'prod-us', environments: ['prod-us'], bake: 'PT5M' },
      ],
    });
    const execution = await h.start('ro-gate-alarm', strategy);
    await h.waitFor('ro-gate-alarm', (s) => s.status === 'awaiting-approval');
    h.alarms.set('dev-5xx-rate', 'ALARM');
    const done = await h.finished(execution);
    expect(statesOf(done).at(-1)).toBe('Rolled Back');
    const state = await h.stateOf('ro-gate-alarm');
    expect(state.status).toBe('rolled-back');
    expect(state.reason).toMatch(/ALARM dev-5xx-rate/);
    expect(state.phases.map((p) => p.status)).toEqual(['rolled-back', 'rolled-back', 'skipped']);
    const events = await h.api.store.rollouts.events('ro-gate-alarm');
    expect(events.flatMap((e) => (e.type === 'PhaseRolledBack' ? [e.environment] : []))).toEqual([
      'staging',
      'dev',
    ]);
    expect(events.some((e) => e.type === 'PhaseDeployed' && e.environment === 'prod-us')).toBe(false);
    // Too late to approve: the gate closed with the rollback.
    await expect(h.act('ro-gate-alarm', 'approve')).rejects.toThrow(/awaiting approval/);
    expect(await h.heads()).toEqual(baseline);
  });
});

describe('operator actions', () => {
  it('abort mid-bake rolls back what was deployed and ends aborted', async () => {
    const execution = await h.start('ro-abort', twoPhases({ bake: 'PT1H' }));
    await h.waitFor('ro-abort', (s) => s.phases[0]?.status === 'baking');
    await h.act('ro-abort', 'abort', 'wrong bundle');
    const done = await h.finished(execution);
    expect(statesOf(done).at(-1)).toBe('Rolled Back');
    const state = await h.stateOf('ro-abort');
    expect(state.status).toBe('aborted');
    expect(state.phases.map((p) => p.status)).toEqual(['rolled-back', 'skipped']);
    expect(await h.heads()).toEqual(baseline);
  });

  it('promote skips the rest of the bake at the next healthy check', async () => {
    const execution = await h.start('ro-promote', twoPhases({ bake: 'PT8H' }));
    await h.waitFor('ro-promote', (s) => s.phases[0]?.status === 'baking');
    await h.act('ro-promote', 'promote');
    const state = await h.waitFor('ro-promote', (s) => s.currentPhase === 'staging');
    const dev = state.phases[0]!;
    expect(Date.parse(dev.bakedUntil!) - Date.parse(dev.bakeStartedAt!)).toBeLessThan(60 * 60_000);
    await h.act('ro-promote', 'abort', 'done testing');
    await h.finished(execution);
  });

  it('pause stops at the next check until resume; the rollout then completes', async () => {
    const execution = await h.start('ro-pause', twoPhases({ bake: 'PT10M' }));
    await h.waitFor('ro-pause', (s) => s.phases[0]?.status === 'baking');
    await h.act('ro-pause', 'pause', 'looking at a dashboard');
    // The watching execution was handed over: the fresh one decides at its first check.
    const successor = await h.current('ro-pause');
    expect(successor.name).toBe('ro-pause--2');
    expect((await h.runner.until(execution.executionId, (e) => e.status !== 'RUNNING')).status).toBe(
      'ABORTED',
    );
    const waiting = await h.runner.until(successor.executionId, (e) => e.waitingFor.length === 1);
    expect(statesOf(waiting).at(-1)).toBe('Await Resume');
    await h.act('ro-pause', 'resume');
    expect((await h.finished(execution)).status).toBe('SUCCEEDED');
    const types = await eventTypes('ro-pause');
    expect(types.indexOf('Paused')).toBeLessThan(types.indexOf('Resumed'));
    expect((await h.stateOf('ro-pause')).status).toBe('succeeded');
  });
});

describe('alarm policies', () => {
  /** DescribeAlarms answers the next state of `sequence` for every alarm, then OK. */
  const script = (sequence: AlarmState[]) => {
    let call = 0;
    h.alarms.describeAlarms = (parameters: unknown) => {
      const state = sequence[call] ?? 'OK';
      call += 1;
      const names = (parameters as { AlarmNames: string[] }).AlarmNames;
      return { MetricAlarms: names.map((name) => ({ AlarmName: name, StateValue: state })) };
    };
  };
  const original = () => {
    delete (h.alarms as Partial<{ describeAlarms: unknown }>).describeAlarms;
  };

  it('a flapping alarm rolls back on its single ALARM reading; the OK after it does not undo that', async () => {
    script(['OK', 'ALARM', 'OK', 'OK']);
    const execution = await h.start('ro-flap', twoPhases());
    await h.finished(execution);
    original();
    const events = await h.api.store.rollouts.events('ro-flap');
    const checks = events.flatMap((e) => (e.type === 'HealthChecked' ? [e.verdict] : []));
    expect(checks).toEqual(['healthy', 'unhealthy']);
    expect((await h.stateOf('ro-flap')).status).toBe('rolled-back');
    expect(await h.heads()).toEqual(baseline);
  });

  it.each([
    ['unknown', 'paused', ['unknown', 'unknown', 'unknown']],
    ['unhealthy', 'rolled-back', ['unhealthy']],
    ['ignore', 'succeeded', ['healthy', 'healthy']],
  ] as const)('INSUFFICIENT_DATA counts as %s per the policy', async (policy, status, verdicts) => {
    script(Array<AlarmState>(100).fill('INSUFFICIENT_DATA'));
    const id = `ro-insufficient-${policy}`;
    const strategy = h.strategy({
      phases: [{ name: 'dev', environments: ['dev'], bake: 'PT3M' }],
      health: { insufficientData: policy },
    });
    const execution = await h.start(id, strategy);
    const end = await h.runner.until(
      execution.executionId,
      (e) => e.status !== 'RUNNING' || e.waitingFor.length === 1,
    );
    original();
    const events = await h.api.store.rollouts.events(id);
    expect(events.flatMap((e) => (e.type === 'HealthChecked' ? [e.verdict] : []))).toEqual(verdicts);
    expect((await h.stateOf(id)).status).toBe(status);
    if (end.status === 'RUNNING') await h.act(id, 'abort', 'test over');
    await h.finished(execution);
  });
});
