import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '#local/virtual-clock.ts';
import type { ExecutionRecord } from '#local/workflow/execution.ts';
import type { LocalFunction } from '#local/workflow/task-bindings.ts';
import { createWorkflowRunner, type WorkflowRunner } from '#local/workflow/workflow-runner.ts';

/**
 * The workflow runner on a virtual clock, with small definitions on the real engine: Wait states,
 * retry pauses and task timeouts take no wall time, and time only moves when every execution waits.
 */
const T0 = Date.parse('2026-12-01T09:00:00Z');
const FN = 'arn:aws:lambda:local:000000000000:function:work';
const offset = (at: string | number): number => ((typeof at === 'number' ? at : Date.parse(at)) - T0) / 1000;

const runners: WorkflowRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

const machine = (states: Record<string, unknown>): StateMachineDefinition =>
  ({ StartAt: Object.keys(states)[0], States: states }) as unknown as StateMachineDefinition;

const virtualRunner = (
  definition: StateMachineDefinition,
  functions: Record<string, LocalFunction> = {},
  clock = new VirtualClock({ start: T0 }),
) => {
  const runner = createWorkflowRunner({
    workflows: { 'override-approval': definition },
    functions,
    virtualClock: clock,
  });
  runners.push(runner);
  return { runner, clock };
};

const finish = async (runner: WorkflowRunner, clock: VirtualClock, execution: ExecutionRecord) => {
  await clock.idle();
  return runner.describe(execution.executionId) as ExecutionRecord;
};

const start = (runner: WorkflowRunner, input: Record<string, unknown> = {}, name = 'e-1') =>
  runner.start({ workflow: 'override-approval', name, input });

const invoke = (extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: FN, 'Payload.$': '$' },
  ResultSelector: { 'at.$': '$.Payload' },
  ...extra,
});

describe('workflow runner on a virtual clock', () => {
  it('runs every kind of Wait on the clock: the clock jumps, the functions see virtual time', async () => {
    const seen: number[] = [];
    const { runner, clock } = virtualRunner(
      machine({
        Fixed: { Type: 'Wait', Seconds: 86_400, Next: 'ByPath' },
        ByPath: {
          Type: 'Wait',
          InputPath: '$.wait',
          SecondsPath: '$.seconds',
          OutputPath: '$',
          Next: 'Until',
        },
        Until: { Type: 'Wait', TimestampPath: '$.until', Next: 'Call' },
        Call: invoke({ ResultPath: '$.called', Next: 'Past' }),
        Past: { Type: 'Wait', Timestamp: '2020-01-01T00:00:00Z', End: true },
      }),
      {
        work: () => {
          seen.push(offset(clock.now()));
          return Promise.resolve(new Date(clock.now()).toISOString());
        },
      },
    );
    const execution = start(runner, { wait: { seconds: 3600, until: '2026-12-10T00:00:00Z' } });
    const done = await finish(runner, clock, execution);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({
      seconds: 3600,
      until: '2026-12-10T00:00:00Z',
      called: { at: '2026-12-10T00:00:00.000Z' },
    });
    expect(seen).toEqual([offset('2026-12-10T00:00:00Z')]);
    // History stamps and types are the definition's, in virtual time.
    expect(done.history.map((h) => [h.state, h.type, offset(h.at)])).toEqual([
      ['Fixed', 'Wait', 0],
      ['ByPath', 'Wait', 86_400],
      ['Until', 'Wait', 90_000],
      ['Call', 'Task', offset('2026-12-10T00:00:00Z')],
      ['Past', 'Wait', offset('2026-12-10T00:00:00Z')],
    ]);
    expect(offset(done.startedAt)).toBe(0);
    expect(offset(done.stoppedAt ?? '')).toBe(offset('2026-12-10T00:00:00Z'));
  });

  it.each([
    [{ SecondsPath: '$.value' }, 'soon'],
    [{ SecondsPath: '$.value' }, -5],
    [{ TimestampPath: '$.value' }, 'someday'],
  ])(
    'fails the execution (States.Runtime) on a wait path that selects no usable value: %o %o',
    async (wait, value) => {
      const { runner, clock } = virtualRunner(machine({ Hold: { Type: 'Wait', ...wait, End: true } }));
      const done = await finish(runner, clock, start(runner, { value }));
      expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    },
  );

  it('fails the execution (States.Runtime) on a HeartbeatSecondsPath that selects no positive integer', async () => {
    const { runner, clock } = virtualRunner(
      machine({ Call: invoke({ HeartbeatSecondsPath: '$.beat', End: true }) }),
      { work: () => Promise.resolve(null) },
    );
    const done = await finish(runner, clock, start(runner, { beat: 0 }));
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('pauses retries by the Step Functions defaults: 1 s, doubling', async () => {
    const attempts: number[] = [];
    const { runner, clock } = virtualRunner(
      machine({ Call: invoke({ Retry: [{ ErrorEquals: ['States.ALL'] }], End: true }) }),
      {
        work: () => {
          attempts.push(offset(clock.now()));
          return Promise.reject(new Error('down'));
        },
      },
    );
    const done = await finish(runner, clock, start(runner));
    expect(done.status).toBe('FAILED');
    expect(attempts).toEqual([0, 1, 3, 7]);
  });

  it('pauses retries on the clock: IntervalSeconds × BackoffRate^n, capped, no jitter', async () => {
    const attempts: number[] = [];
    const { runner, clock } = virtualRunner(
      machine({
        Call: invoke({
          Retry: [
            {
              ErrorEquals: ['Lambda.ServiceException'],
              IntervalSeconds: 2,
              BackoffRate: 3,
              MaxDelaySeconds: 30,
              MaxAttempts: 5,
              JitterStrategy: 'FULL',
            },
          ],
          End: true,
        }),
      }),
      {
        work: () => {
          attempts.push(offset(clock.now()));
          return attempts.length < 5
            ? Promise.reject(Object.assign(new Error('flaky'), { name: 'Lambda.ServiceException' }))
            : Promise.resolve('ok');
        },
      },
    );
    const done = await finish(runner, clock, start(runner));
    expect(done.status).toBe('SUCCEEDED');
    // Pauses 2, 6, 18, then 54 capped at 30.
    expect(attempts).toEqual([0, 2, 8, 26, 56]);
  });

  it('times a .waitForTaskToken task out on the clock: TimeoutSecondsPath and HeartbeatSeconds', async () => {
    const waitFor = (extra: Record<string, unknown>) => ({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'work', Payload: { 'token.$': '$$.Task.Token' } },
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: 'Late' }],
      ...extra,
    });
    for (const [extra, seconds] of [
      [{ TimeoutSecondsPath: '$.timeout' }, 86_400],
      [{ TimeoutSeconds: 7200, HeartbeatSeconds: 600 }, 600],
    ] as const) {
      const { runner, clock } = virtualRunner(
        machine({ Gate: waitFor({ ...extra, End: true }), Late: { Type: 'Pass', End: true } }),
        { work: () => Promise.resolve(null) },
      );
      const done = await finish(runner, clock, start(runner, { timeout: 86_400 }));
      expect(done.history.map((h) => [h.state, offset(h.at)])).toEqual([
        ['Gate', 0],
        ['Late', seconds],
      ]);
      expect(done.output).toMatchObject({ timedOut: { Error: 'States.Timeout' } });
    }
  });

  it('resumes a token at the virtual time a timer of the clock sends it, and forgets the timeout', async () => {
    const tokens: string[] = [];
    const { runner, clock } = virtualRunner(
      machine({
        Gate: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'work', Payload: { 'token.$': '$$.Task.Token' } },
          TimeoutSeconds: 86_400,
          ResultPath: '$.decision',
          Next: 'After',
        },
        After: { Type: 'Wait', Seconds: 60, End: true },
      }),
      {
        work: (payload) => {
          tokens.push((payload as { token: string }).token);
          return Promise.resolve(null);
        },
      },
    );
    clock.setTimer(T0 + 25 * 60_000, () => {
      runner.sendTaskSuccess(tokens[0] as string, { approved: true });
    });
    const done = await finish(runner, clock, start(runner));
    expect(done.output).toEqual({ decision: { approved: true } });
    expect(done.history.map((h) => [h.state, offset(h.at)])).toEqual([
      ['Gate', 0],
      ['After', 1500],
    ]);
    expect(offset(done.stoppedAt ?? '')).toBe(1560);
    // The cancelled timeout left nothing behind: the clock stopped at the end of the execution.
    expect([offset(clock.now()), clock.pending]).toEqual([1560, 0]);
  });

  it('fails a waiting task with sendTaskFailure, on the clock', async () => {
    const tokens: string[] = [];
    const { runner, clock } = virtualRunner(
      machine({
        Gate: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'work', Payload: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      }),
      {
        work: (payload) => {
          tokens.push((payload as { token: string }).token);
          return Promise.resolve(null);
        },
      },
    );
    clock.setTimer(T0 + 60_000, () => {
      runner.sendTaskFailure(tokens[0] as string, 'Convoy.Rejected', 'no');
    });
    const done = await finish(runner, clock, start(runner));
    expect(done).toMatchObject({ status: 'FAILED', error: 'Convoy.Rejected' });
    expect(offset(done.stoppedAt ?? '')).toBe(60);
  });

  it('interleaves executions on one clock by their virtual times', async () => {
    const log: string[] = [];
    const { runner, clock } = virtualRunner(
      machine({
        First: { Type: 'Wait', SecondsPath: '$.a', Next: 'Mark' },
        Mark: invoke({ ResultPath: null, Next: 'Second' }),
        Second: { Type: 'Wait', SecondsPath: '$.b', End: true },
      }),
      {
        work: (payload) => {
          log.push(`${(payload as { who: string }).who}@${offset(clock.now())}`);
          return Promise.resolve(null);
        },
      },
    );
    start(runner, { who: 'slow', a: 300, b: 10 }, 'slow');
    const fast = start(runner, { who: 'fast', a: 100, b: 500 }, 'fast');
    await finish(runner, clock, fast);
    expect(log).toEqual(['fast@100', 'slow@300']);
    expect(offset(clock.now())).toBe(600);
    expect(runner.list().map((e) => [e.name, offset(e.stoppedAt ?? '')])).toEqual([
      ['slow', 310],
      ['fast', 600],
    ]);
  });

  it('does not move while a function works, however long it takes in wall time', async () => {
    let release: () => void = () => undefined;
    const { runner, clock } = virtualRunner(
      machine({
        Call: invoke({ TimeoutSeconds: 1, Next: 'Hold' }),
        Hold: { Type: 'Wait', Seconds: 5, End: true },
      }),
      {
        work: () =>
          new Promise((resolve) => {
            release = () => {
              resolve('late');
            };
          }),
      },
    );
    const execution = start(runner);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(clock.now()).toBe(T0);
    release();
    const done = await finish(runner, clock, execution);
    // The function took no virtual time, so its 1 s timeout never fired.
    expect(done.status).toBe('SUCCEEDED');
    expect(offset(clock.now())).toBe(5);
  });

  it('stop aborts parked executions and cancels their timers', async () => {
    const { runner, clock } = virtualRunner(machine({ Hold: { Type: 'Wait', Seconds: 3600, End: true } }));
    // Whatever is not held moves on its own: hold the clock so the wait is still pending at stop.
    const release = clock.hold();
    const execution = start(runner);
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.pending).toBe(1);
    await runner.stop();
    expect(runner.describe(execution.executionId)?.status).toBe('ABORTED');
    release();
    await clock.idle();
    expect([clock.now(), clock.pending]).toEqual([T0, 0]);
  });

  it('refuses a time scale, and Parallel or Map states, on a virtual clock', () => {
    const clock = new VirtualClock({ start: T0 });
    expect(() =>
      createWorkflowRunner({ workflows: {}, functions: {}, timeScale: 10, virtualClock: clock }),
    ).toThrow(/timeScale/);
    const parallel = machine({
      Both: { Type: 'Parallel', Branches: [machine({ A: { Type: 'Pass', End: true } })], End: true },
    });
    expect(() =>
      createWorkflowRunner({
        workflows: { 'override-approval': parallel },
        functions: {},
        virtualClock: clock,
      }),
    ).toThrow(/Parallel states do not run on a virtual clock/);
  });
});
