import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkflowName } from '#integrations/ports.ts';
import { LocalWorkflowEngine } from '#local/local-workflow-engine.ts';
import { VirtualClock } from '#local/virtual-clock.ts';
import type { ExecutionRecord } from '#local/workflow/execution.ts';
import {
  createWorkflowRunner,
  type WorkflowRunner,
  type WorkflowRunnerOptions,
} from '#local/workflow/workflow-runner.ts';

/**
 * StopExecution on the local runner, with small definitions on the real engine: a running execution is
 * aborted wherever it waits (a Wait, a task token, a function), its tokens turn stale, and on a virtual
 * clock it lets go of the clock; anything else is left as is.
 */
const T0 = Date.parse('2026-12-01T09:00:00Z');
const APPROVAL: WorkflowName = 'override-approval';
const ROLLOUT: WorkflowName = 'progressive-rollout';

const runners: WorkflowRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

const machine = (states: Record<string, unknown>): StateMachineDefinition =>
  ({ StartAt: Object.keys(states)[0], States: states }) as unknown as StateMachineDefinition;

const hold = machine({ Hold: { Type: 'Wait', Seconds: 3600, End: true } });
const gate = (extra: Record<string, unknown> = {}) =>
  machine({
    Gate: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'work', Payload: { 'token.$': '$$.Task.Token' } },
      End: true,
      ...extra,
    },
  });

/** A runner with `definition` for both workflows; `ended` collects what onExecutionEnd is told. */
const runner = (definition: StateMachineDefinition, extra: Partial<WorkflowRunnerOptions> = {}) => {
  const ended: ExecutionRecord[] = [];
  const created = createWorkflowRunner({
    workflows: { [APPROVAL]: definition, [ROLLOUT]: definition },
    functions: { work: () => Promise.resolve(null) },
    onExecutionEnd: (execution) => ended.push(execution),
    ...extra,
  });
  runners.push(created);
  return { r: created, ended };
};

const start = (r: WorkflowRunner, name = 'e-1', workflow: WorkflowName = APPROVAL) =>
  r.start({ workflow, name, input: {} }).executionId;
const entered = (r: WorkflowRunner, id: string) => r.until(id, (e) => e.history.length > 0);
const settled = (r: WorkflowRunner, id: string) => r.until(id, (e) => e.stoppedAt !== undefined);
const waitingToken = async (r: WorkflowRunner, id: string) =>
  (await r.until(id, (e) => e.waitingFor.length > 0)).waitingFor[0] as string;
const stopE1 = (r: WorkflowRunner, cause = 'superseded') => {
  r.stopExecution({ workflow: APPROVAL, name: 'e-1', cause });
};

describe('workflow runner: stopping an execution', () => {
  it('aborts a running execution parked in a Wait, and only that workflow and name', async () => {
    const { r, ended } = runner(hold);
    // The same name in the other workflow starts first: a lookup by name alone would find it.
    const others = [start(r, 'e-1', ROLLOUT), start(r, 'e-2')];
    const id = start(r);
    await entered(r, id);
    stopE1(r);
    expect(await settled(r, id)).toMatchObject({ status: 'ABORTED', cause: 'superseded' });
    expect(ended).toEqual([expect.objectContaining({ executionId: id, status: 'ABORTED' })]);
    expect(others.map((other) => r.describe(other)?.status)).toEqual(['RUNNING', 'RUNNING']);
  });

  it('aborts an execution waiting on a task token: the token is stale at once', async () => {
    const { r } = runner(gate());
    const id = start(r);
    const token = await waitingToken(r, id);
    stopE1(r);
    const answers = [
      () => {
        r.sendTaskSuccess(token, {});
      },
      () => {
        r.sendTaskFailure(token, 'E', 'c');
      },
    ];
    for (const answer of answers) {
      expect(answer).toThrow(
        expect.objectContaining({ code: 'conflict', context: { staleTaskToken: true } }),
      );
    }
    expect(await settled(r, id)).toMatchObject({ status: 'ABORTED', waitingFor: [] });
  });

  it.each([
    ['succeeded', machine({ Done: { Type: 'Succeed' } }), 'SUCCEEDED'],
    ['failed', machine({ Broken: { Type: 'Fail', Error: 'Boom', Cause: 'broken' } }), 'FAILED'],
  ] as const)('leaves an execution that has %s as it is', async (_case, definition, status) => {
    const { r, ended } = runner(definition);
    const before = await settled(r, start(r));
    expect(before.status).toBe(status);
    stopE1(r);
    expect(r.list()).toEqual([before]);
    expect(ended).toHaveLength(1);
  });

  it('leaves an aborted execution with its first cause, and ignores names that never ran', async () => {
    const { r, ended } = runner(hold);
    const id = start(r);
    stopE1(r, 'first');
    const before = await settled(r, id);
    stopE1(r, 'second');
    r.stopExecution({ workflow: ROLLOUT, name: 'e-1', cause: 'never ran' });
    r.stopExecution({ workflow: APPROVAL, name: 'nope', cause: 'never ran' });
    expect(r.list()).toEqual([before]);
    expect(before.cause).toBe('first');
    expect(ended).toHaveLength(1);
  });

  it('is what LocalWorkflowEngine.stop does, resolving for an unknown name too', async () => {
    const { r } = runner(hold);
    const engine = new LocalWorkflowEngine(r);
    const id = start(r);
    await engine.stop({ workflow: APPROVAL, name: 'e-1', cause: 'rolled back' });
    await expect(engine.stop({ workflow: APPROVAL, name: 'nope', cause: 'x' })).resolves.toBeUndefined();
    expect(await settled(r, id)).toMatchObject({ status: 'ABORTED', cause: 'rolled back' });
  });
});

describe('workflow runner on a virtual clock: stopping an execution', () => {
  const virtualRunner = (definition: StateMachineDefinition) => {
    const clock = new VirtualClock({ start: T0 });
    // Held from the start: the clock would otherwise run the waits out before the stop.
    return { ...runner(definition, { virtualClock: clock }), clock, release: clock.hold() };
  };

  it.each([
    ['parked in a Wait', hold],
    ['waiting on a token with a timeout', gate({ TimeoutSeconds: 86_400 })],
  ])('cancels the timer of an execution %s: the clock stays put', async (_case, definition) => {
    const { r, clock, release } = virtualRunner(definition);
    const id = start(r);
    await entered(r, id);
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.pending).toBe(1);
    stopE1(r);
    release();
    await clock.idle();
    expect([clock.now(), clock.pending]).toEqual([T0, 0]);
    expect(r.describe(id)).toMatchObject({ status: 'ABORTED', stoppedAt: new Date(T0).toISOString() });
  });

  it('releases the hold of an execution stopped while its function works', async () => {
    const clock = new VirtualClock({ start: T0 });
    let invoked: () => void = () => undefined;
    const calling = new Promise<void>((resolve) => {
      invoked = resolve;
    });
    const { r } = runner(
      machine({
        Call: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:work', End: true },
      }),
      {
        virtualClock: clock,
        functions: {
          work: () => {
            invoked();
            return new Promise(() => undefined);
          },
        },
      },
    );
    const id = start(r);
    clock.setTimer(T0 + 60_000, () => undefined);
    await calling;
    stopE1(r);
    // idle() resolves only once nothing holds the clock; the timer then fires.
    await clock.idle();
    expect([clock.now(), clock.pending]).toEqual([T0 + 60_000, 0]);
    expect(r.describe(id)?.status).toBe('ABORTED');
  });
});
