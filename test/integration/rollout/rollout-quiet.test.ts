import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlarmState } from '#domain/rollout/events.ts';
import type { WorkflowEngine } from '#integrations/ports.ts';
import type { ExecutionRecord } from '#local/workflow/execution.ts';
import { createRolloutHarness, type RolloutHarness } from './harness.ts';

/**
 * The quiet stretch on the real ASL: while the alarm reading stays the same and nothing is due, the
 * loop checks health every interval without invoking Decide; a changed reading is decided at the check
 * that sees it; an operator's action hands the rollout to a fresh execution at once, and if that start
 * is lost the old execution hands over itself at its next Decide.
 */
let h: RolloutHarness;
/** The check numbers Decide was invoked for, per execution name. */
const decided = new Map<string, number[]>();
/** What each check read, in order: the alarm state every alarm had. */
let readings: AlarmState[] = [];
let script: (call: number) => AlarmState = () => 'OK';

beforeAll(async () => {
  h = await createRolloutHarness({
    scale: 600,
    wrap: {
      'convoy-rollout-decide': (real) => async (event) => {
        const payload = event as { action: string; check?: string };
        if (payload.action === 'decide' && payload.check !== undefined) {
          const [execution = '', n = ''] = payload.check.split(':');
          decided.set(execution, [...(decided.get(execution) ?? []), Number(n)]);
        }
        return real(event);
      },
    },
  });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
  decided.clear();
  readings = [];
  script = () => 'OK';
  h.alarms.describeAlarms = (parameters: unknown) => {
    const state = script(readings.length);
    readings.push(state);
    const names = (parameters as { AlarmNames: string[] }).AlarmNames;
    return { MetricAlarms: names.map((name) => ({ AlarmName: name, StateValue: state })) };
  };
});

const checksOf = (execution: ExecutionRecord): number =>
  execution.history.filter((s) => s.state === 'Check Health').length;

describe('a quiet bake', () => {
  it('checks health every interval but decides only when something is due', async () => {
    const execution = await h.start(
      'ro-quiet',
      h.strategy({ phases: [{ name: 'dev', environments: ['dev'], bake: 'PT40M' }] }),
    );
    const done = await h.finished(execution);
    expect(done.status).toBe('SUCCEEDED');
    expect((await h.stateOf('ro-quiet')).status).toBe('succeeded');
    const checks = checksOf(done);
    // Scaled real time: a check's own work moves the clock too, so a little under one per minute.
    expect(checks).toBeGreaterThanOrEqual(30);
    // The first check records the reading; the next decides a stretch; the last ones see the bake end.
    const decides = decided.get('ro-quiet') ?? [];
    expect(decides.length).toBeLessThanOrEqual(4);
    expect(done.history.filter((s) => s.state === 'Skip Check').length).toBe(checks - decides.length);
  });

  it('decides at the very check whose reading changed, and rolls back on it', async () => {
    // OK for 12 checks, then ALARM.
    script = (call) => (call < 12 ? 'OK' : 'ALARM');
    const execution = await h.start(
      'ro-change',
      h.strategy({ phases: [{ name: 'dev', environments: ['dev'], bake: 'PT40M' }] }),
    );
    await h.finished(execution);
    const state = await h.stateOf('ro-change');
    expect(state.status).toBe('rolled-back');
    expect(state.reason).toMatch(/ALARM dev-5xx-rate/);
    // Check 13 is the first ALARM reading: Decide ran for it, not later.
    expect(decided.get('ro-change')?.at(-1)).toBe(13);
    expect(readings.length).toBe(13);
  });
});

describe('an operator acting on a quiet rollout', () => {
  it('abort hands the rollout to a fresh execution that rolls back at its first check', async () => {
    const execution = await h.start(
      'ro-kick',
      h.strategy({ phases: [{ name: 'dev', environments: ['dev'], bake: 'PT6H' }] }),
    );
    // Wait until the first execution is skipping Decide.
    await h.runner.until(execution.executionId, (e) => e.history.some((s) => s.state === 'Skip Check'));
    await h.act('ro-kick', 'abort', 'wrong bundle');
    const done = await h.finished(execution);
    expect(done.name).toBe('ro-kick--2');
    expect(done.history.map((s) => s.state).slice(-5)).toEqual([
      'Decide',
      'Action?',
      'Health Rollback',
      'Roll Back',
      'Rolled Back',
    ]);
    // The new execution decided at its first check: it never skipped one.
    expect(decided.get('ro-kick--2')).toEqual([1]);
    expect(h.runner.describe(execution.executionId)?.status).toBe('ABORTED');
    const state = await h.stateOf('ro-kick');
    expect(state.status).toBe('aborted');
    expect(state.executionName).toBe('ro-kick--2');
  });

  it('if the fresh execution does not start, the old one hands over at its next Decide', async () => {
    const deps = h.api.deps;
    const real = deps.workflows;
    let refused = 0;
    const flaky: WorkflowEngine = {
      start: (input) => {
        refused += 1;
        return refused === 1
          ? Promise.reject(new Error('StartExecution throttled (test)'))
          : real.start(input);
      },
      sendTaskSuccess: (token, output) => real.sendTaskSuccess(token, output),
      sendTaskFailure: (token, error, cause) => real.sendTaskFailure(token, error, cause),
      stop: (input) => real.stop(input),
    };
    const execution = await h.start(
      'ro-lost',
      h.strategy({ phases: [{ name: 'dev', environments: ['dev'], bake: 'PT30M' }] }),
    );
    await h.runner.until(execution.executionId, (e) => e.history.some((s) => s.state === 'Skip Check'));
    deps.workflows = flaky;
    try {
      await h.act('ro-lost', 'pause', 'looking at a dashboard');
    } finally {
      deps.workflows = real;
    }
    expect(refused).toBe(1);
    // The old execution is still watching; at its next Decide it is superseded and starts ro-lost--2.
    const ended = await h.runner.until(execution.executionId, (e) => e.status !== 'RUNNING');
    expect(ended.status).toBe('SUCCEEDED');
    expect(ended.history.map((s) => s.state).slice(-4)).toEqual([
      'Action?',
      'Hand Over',
      'Continue As New',
      'Continued',
    ]);
    const successor = await h.current('ro-lost');
    expect(successor.name).toBe('ro-lost--2');
    const waiting = await h.runner.until(successor.executionId, (e) => e.waitingFor.length === 1);
    expect(waiting.history.at(-1)?.state).toBe('Await Resume');
    await h.act('ro-lost', 'abort', 'done testing');
    expect((await h.finished(successor)).status).toBe('SUCCEEDED');
    expect((await h.stateOf('ro-lost')).status).toBe('aborted');
  });
});
