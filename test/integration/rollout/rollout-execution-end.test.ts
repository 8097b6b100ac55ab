import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordExecutionEnd } from '#app/rollouts/record-execution-end.ts';
import { make as makeExecutionEnded } from '#functions/workflow/rollout-execution-ended.ts';
import { ConvoyError } from '#domain/core/errors.ts';
import { ROLLOUT_CHAIN } from '#store/keys.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import type { ExecutionRecord } from '#local/workflow/execution.ts';
import { createRolloutHarness, type RolloutHarness } from './harness.ts';

/**
 * No rollout without a workflow, on the real ASL and handlers on DynamoDB Local: a missing alarm is an
 * unknown reading (never a crash), and an execution that dies (a runtime error, a stop) is recorded on
 * the rollout, which pauses or rolls back per its strategy and never stays `running`.
 */
let h: RolloutHarness;
let baseline: Record<string, string>;
/** Rollouts whose next Decide answers a payload the ASL cannot read: a States.Runtime error. */
const sabotaged = new Set<string>();
/** Rollouts whose next Decide fails (an error the Catch handles: Task Failed, Roll Back). */
const broken = new Set<string>();

beforeAll(async () => {
  h = await createRolloutHarness({
    wrap: {
      'convoy-rollout-decide': (real) => async (event) => {
        const { action, rolloutId } = event as { action: string; rolloutId: string };
        if (action === 'decide' && sabotaged.delete(rolloutId)) return {};
        if (action === 'decide' && broken.delete(rolloutId))
          throw Object.assign(new Error('decide broke'), { name: 'Convoy.Internal' });
        return real(event);
      },
    },
  });
  baseline = await h.heads();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
});

const strategy = (alarms: string[], action: 'pause' | 'rollback', bake = 'PT10M') =>
  h.strategy({
    phases: [
      { name: 'dev', environments: ['dev'], bake },
      { name: 'staging', environments: ['staging'], bake: 'PT2M' },
    ],
    health: { alarms, unknown: { after: 2, action } },
  });
const statesOf = (execution: ExecutionRecord) => execution.history.map((s) => s.state);
const eventsOf = async (id: string) => h.api.store.rollouts.events(id);
const ended = (execution: ExecutionRecord) =>
  h.runner.until(execution.executionId, (e) => e.status !== 'RUNNING');
const settled = (s: RolloutState) => !['running', 'pending', 'rolling-back'].includes(s.status);

describe('a strategy whose alarms do not exist in an environment', () => {
  it('reads unknown (one alarm of two missing) and pauses after unknown.after; abort ends it, dev restored', async () => {
    const execution = await h.start(
      'ro-missing-one',
      strategy(['{env}-5xx-rate', '{env}-latency-p99'], 'pause'),
    );
    const paused = await h.waitFor('ro-missing-one', (s) => s.status !== 'running' && s.status !== 'pending');
    expect(paused.status).toBe('paused');
    expect(paused.reason).toMatch(/alarm not found: dev-latency-p99 \(2 of 2 unknown checks in a row\)/);
    // The workflow is alive and waits for an operator: it did not die.
    const waiting = await h.runner.until(execution.executionId, (e) => e.waitingFor.length === 1);
    expect(statesOf(waiting)).toContain('Read Health');
    expect(statesOf(waiting).at(-1)).toBe('Await Resume');
    expect(paused.workflowEnded).toBeNull();
    await h.act('ro-missing-one', 'abort', 'the alarm does not exist');
    expect((await h.finished(execution)).status).toBe('SUCCEEDED');
    expect((await h.stateOf('ro-missing-one')).status).toBe('aborted');
    expect(await h.heads()).toEqual(baseline);
  });

  it('reads unknown with no watched alarm at all (MetricAlarms empty) and rolls back per the strategy', async () => {
    const execution = await h.start('ro-missing-all', strategy(['{env}-latency-p99'], 'rollback'));
    const done = await h.finished(execution);
    expect(done.status).toBe('SUCCEEDED');
    expect(statesOf(done)).toContain('No Alarm Found');
    expect(statesOf(done)).not.toContain('Read Health');
    const state = await h.stateOf('ro-missing-all');
    expect(state.status).toBe('rolled-back');
    const checks = (await eventsOf('ro-missing-all')).flatMap((e) =>
      e.type === 'HealthChecked' ? [[e.verdict, e.consecutiveUnknown]] : [],
    );
    expect(checks).toEqual([
      ['unknown', 1],
      ['unknown', 2],
    ]);
    expect(state.reason).toMatch(/alarm not found: dev-latency-p99/);
    expect(await h.heads()).toEqual(baseline);
  });
});

describe('an execution killed by a runtime error', () => {
  it('is recorded; the rollout pauses (unknown.action pause), then abort ends it with dev restored', async () => {
    const execution = await h.start('ro-runtime-pause', strategy(['{env}-5xx-rate'], 'pause', 'PT1H'));
    await h.waitFor('ro-runtime-pause', (s) => s.phases[0]?.status === 'baking');
    sabotaged.add('ro-runtime-pause');
    const dead = await ended(execution);
    expect(dead).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    const paused = await h.waitFor('ro-runtime-pause', (s) => s.status !== 'running');
    expect(paused.status).toBe('paused');
    expect(paused.reason).toMatch(/^workflow execution ro-runtime-pause ended FAILED: States\.Runtime/);
    expect(paused.workflowEnded).toMatchObject({ executionName: 'ro-runtime-pause', status: 'FAILED' });
    const events = await eventsOf('ro-runtime-pause');
    expect(events.slice(-2).map((e) => e.type)).toEqual(['ExecutionEnded', 'Paused']);
    const audited = await h.api.store.audit.listEvents({ chain: ROLLOUT_CHAIN });
    const endAudits = audited.filter(
      (a) => a.subject === 'ro-runtime-pause' && a.type === 'RolloutExecutionEnded',
    );
    expect(endAudits).toMatchObject([
      {
        chain: '_rollout',
        type: 'RolloutExecutionEnded',
        actor: 'workflow:progressive-rollout',
        subject: 'ro-runtime-pause',
        detail: expect.objectContaining({ execution: 'ro-runtime-pause', status: 'FAILED', action: 'pause' }),
      },
    ]);
    // Nobody waits on a token: abort starts a fresh execution that rolls back.
    await h.act('ro-runtime-pause', 'abort', 'it died');
    const aborted = await h.waitFor('ro-runtime-pause', settled);
    expect(aborted).toMatchObject({
      status: 'aborted',
      executionName: 'ro-runtime-pause--2',
      workflowEnded: null,
    });
    expect(await h.heads()).toEqual(baseline);
  });

  it('rolls back in a fresh execution when unknown.action is rollback', async () => {
    const execution = await h.start('ro-runtime-rollback', strategy(['{env}-5xx-rate'], 'rollback', 'PT1H'));
    await h.waitFor('ro-runtime-rollback', (s) => s.phases[0]?.status === 'baking');
    sabotaged.add('ro-runtime-rollback');
    expect((await ended(execution)).status).toBe('FAILED');
    const state = await h.waitFor('ro-runtime-rollback', settled);
    expect(state).toMatchObject({ status: 'rolled-back', executionName: 'ro-runtime-rollback--2' });
    expect(state.reason).toMatch(/States\.Runtime/);
    const rescue = await h.current('ro-runtime-rollback');
    expect(statesOf(await ended(rescue)).at(-1)).toBe('Rolled Back');
    expect(await h.heads()).toEqual(baseline);
  });
});

describe('a task that fails (caught, not a death)', () => {
  it("rolls back with the error output's cause, the execution ending normally", async () => {
    const execution = await h.start('ro-task-failed', strategy(['{env}-5xx-rate'], 'pause', 'PT1H'));
    await h.waitFor('ro-task-failed', (s) => s.phases[0]?.status === 'baking');
    broken.add('ro-task-failed');
    const done = await h.finished(execution);
    expect(done.status).toBe('SUCCEEDED');
    expect(statesOf(done)).toContain('Task Failed');
    const state = await h.stateOf('ro-task-failed');
    expect(state.status).toBe('rolled-back');
    expect(state.reason).toBe('workflow task failed: Convoy.Internal: decide broke');
    expect(state.workflowEnded).toBeNull();
    expect(await h.heads()).toEqual(baseline);
  });
});

describe('an execution stopped by hand', () => {
  it('pauses the rollout; resume carries it on in a fresh execution to the end', async () => {
    const execution = await h.start('ro-stopped', strategy(['{env}-5xx-rate'], 'pause', 'PT3M'));
    await h.waitFor('ro-stopped', (s) => s.phases[0]?.status === 'baking');
    h.runner.stopExecution({ workflow: 'progressive-rollout', name: 'ro-stopped', cause: 'console' });
    expect((await ended(execution)).status).toBe('ABORTED');
    const paused = await h.waitFor('ro-stopped', (s) => s.status !== 'running');
    expect(paused.status).toBe('paused');
    expect(paused.reason).toMatch(/ended ABORTED \(console\)/);
    await h.act('ro-stopped', 'resume');
    const done = await h.waitFor('ro-stopped', settled);
    expect(done).toMatchObject({ status: 'succeeded', executionName: 'ro-stopped--2' });
  });

  it('ignores the end of an execution the rollout was handed over from', async () => {
    const execution = await h.start('ro-handed', strategy(['{env}-5xx-rate'], 'pause', 'PT1H'));
    await h.waitFor('ro-handed', (s) => s.phases[0]?.status === 'baking');
    await h.act('ro-handed', 'pause', 'a look');
    expect((await ended(execution)).status).toBe('ABORTED');
    const outcome = await makeExecutionEnded(h.api.deps)({
      'detail-type': 'Step Functions Execution Status Change',
      detail: { name: 'ro-handed', status: 'ABORTED', input: JSON.stringify({ rolloutId: 'ro-handed' }) },
    });
    expect(outcome).toEqual({ recorded: false, why: 'superseded: the rollout goes on in ro-handed--2' });
    expect((await eventsOf('ro-handed')).map((e) => e.type)).not.toContain('ExecutionEnded');
    await h.act('ro-handed', 'abort', 'test over');
    expect((await h.waitFor('ro-handed', settled)).status).toBe('aborted');
  });
});

describe('the execution-ended handler and its operation', () => {
  it('finds the rollout by the execution name when the event carries no input, and ignores a normal end', async () => {
    const execution = await h.start('ro-named', strategy(['{env}-5xx-rate'], 'pause', 'PT2M'));
    await h.finished(execution);
    const outcome = await makeExecutionEnded(h.api.deps)({
      'detail-type': 'Step Functions Execution Status Change',
      detail: { name: 'ro-named--7', status: 'FAILED', input: null },
    });
    expect(outcome).toEqual({ recorded: false, why: 'the rollout already ended succeeded' });
  });

  it('gives up after losing the race three times: the invocation fails and is retried', async () => {
    await h.start('ro-lost', strategy(['{env}-5xx-rate'], 'pause', 'PT2M'));
    await h.waitFor('ro-lost', (s) => s.phases[0]?.status === 'baking');
    const deps = h.api.deps;
    const rollouts = new Proxy(deps.store.rollouts, {
      get: (target, key) =>
        key === 'append'
          ? () => Promise.reject(new ConvoyError('conflict', 'moved on', { context: { lastSeq: 0 } }))
          : (Reflect.get(target, key) as unknown),
    });
    const store = new Proxy(deps.store, {
      get: (target, key) => (key === 'rollouts' ? rollouts : (Reflect.get(target, key) as unknown)),
    });
    await expect(
      recordExecutionEnd(
        { ...deps, store },
        { rolloutId: 'ro-lost', executionName: 'ro-lost', status: 'FAILED' },
      ),
    ).rejects.toThrow('moved on');
    expect((await h.waitFor('ro-lost', settled)).status).toBe('succeeded');
  });

  it('re-reads and decides again after losing a race for the stream', async () => {
    const execution = await h.start('ro-race', strategy(['{env}-5xx-rate'], 'pause', 'PT1H'));
    await h.waitFor('ro-race', (s) => s.phases[0]?.status === 'baking');
    const deps = h.api.deps;
    let appends = 0;
    const rollouts = new Proxy(deps.store.rollouts, {
      get: (target, key) =>
        key === 'append'
          ? (...args: Parameters<typeof target.append>) => {
              appends += 1;
              if (appends === 1)
                return Promise.reject(new ConvoyError('conflict', 'moved on', { context: { lastSeq: 0 } }));
              return target.append(...args);
            }
          : (Reflect.get(target, key) as unknown),
    });
    const store = new Proxy(deps.store, {
      get: (target, key) => (key === 'rollouts' ? rollouts : (Reflect.get(target, key) as unknown)),
    });
    // As EventBridge would report it: the execution the rollout runs in failed.
    const outcome = await recordExecutionEnd(
      { ...deps, store },
      { rolloutId: 'ro-race', executionName: 'ro-race', status: 'TIMED_OUT' },
    );
    expect(outcome).toEqual({
      recorded: true,
      action: 'pause',
      reason: 'workflow execution ro-race ended TIMED_OUT',
    });
    expect(appends).toBe(2);
    const state = await h.stateOf('ro-race');
    expect(state).toMatchObject({ status: 'paused', anomalies: [] });
    // The end is on record: abort hands the rollout to a fresh execution, which rolls it back.
    await h.act('ro-race', 'abort', 'test over');
    expect((await h.waitFor('ro-race', settled)).status).toBe('aborted');
    expect((await ended(execution)).status).toBe('ABORTED');
    expect(await h.heads()).toEqual(baseline);
  });
});
