import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalFunction } from '#local/workflow/task-bindings.ts';
import { createWorkflowRunner, type WorkflowRunner } from '#local/workflow/workflow-runner.ts';

/**
 * The local workflow runner's contract with small definitions on the real engine: bindings by resource,
 * task tokens, timeouts, scaled time, errors as Step Functions reports them, idempotent starts, stop.
 */
const FN = 'arn:aws:lambda:local:000000000000:function:work';
const runners: WorkflowRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

const machine = (states: Record<string, unknown>, startAt = Object.keys(states)[0]): StateMachineDefinition =>
  ({ StartAt: startAt, States: states }) as unknown as StateMachineDefinition;

const runner = (
  definition: StateMachineDefinition,
  functions: Record<string, LocalFunction> = {},
  extra: Partial<Parameters<typeof createWorkflowRunner>[0]> = {},
): WorkflowRunner => {
  const created = createWorkflowRunner({
    workflows: { 'override-approval': definition },
    functions,
    ...extra,
  });
  runners.push(created);
  return created;
};

const run = async (r: WorkflowRunner, input: Record<string, unknown> = {}, name = 'e-1') => {
  const started = r.start({ workflow: 'override-approval', name, input });
  return r.until(started.executionId, (e) => e.status !== 'RUNNING');
};

const invoke = (payload: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: FN, Payload: payload },
  ...extra,
});

describe('local workflow runner', () => {
  it('invokes lambda:invoke tasks with the Payload and returns the integration shape', async () => {
    const seen: unknown[] = [];
    const r = runner(machine({ Call: invoke({ 'n.$': '$.n', 'id.$': '$$.Execution.Id' }, { End: true }) }), {
      work: (payload) => {
        seen.push(payload);
        return Promise.resolve({ doubled: 2 * (payload as { n: number }).n });
      },
    });
    const done = await run(r, { n: 21 });
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({ ExecutedVersion: '$LATEST', Payload: { doubled: 42 }, StatusCode: 200 });
    expect(seen).toEqual([
      { n: 21, id: 'arn:aws:states:local:000000000000:execution:convoy-override-approval:e-1' },
    ]);
  });

  it('invokes a function named by its ARN as the resource with the state input', async () => {
    const r = runner(machine({ Call: { Type: 'Task', Resource: FN, End: true } }), {
      work: (payload) => Promise.resolve({ got: payload }),
    });
    expect((await run(r, { a: 1 })).output).toEqual({ got: { a: 1 } });
  });

  it('reports function errors as Step Functions does: the error type, and a JSON cause', async () => {
    const r = runner(
      machine({
        Call: invoke(
          {},
          { Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Done' }], Next: 'Done' },
        ),
        Done: { Type: 'Succeed' },
      }),
      {
        work: () => Promise.reject(Object.assign(new Error('no such override'), { name: 'Convoy.NotFound' })),
      },
    );
    const done = await run(r);
    expect(done.output).toEqual({
      error: {
        Error: 'Convoy.NotFound',
        Cause: JSON.stringify({ errorType: 'Convoy.NotFound', errorMessage: 'no such override' }),
      },
    });
  });

  it('fails a task whose function does not exist with Lambda.ResourceNotFoundException', async () => {
    const r = runner(machine({ Call: invoke({}, { End: true }) }));
    expect(await run(r)).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException' });
  });

  it('retries as the Retry field says, with scaled pauses', async () => {
    let calls = 0;
    const r = runner(
      machine({
        Call: invoke(
          {},
          {
            Retry: [{ ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 3600, MaxAttempts: 3 }],
            End: true,
          },
        ),
      }),
      {
        work: () => {
          calls += 1;
          return calls < 3
            ? Promise.reject(Object.assign(new Error('flaky'), { name: 'Lambda.ServiceException' }))
            : Promise.resolve('ok');
        },
      },
      { timeScale: 1e7 },
    );
    expect(await run(r)).toMatchObject({ status: 'SUCCEEDED', output: { Payload: 'ok' } });
    expect(calls).toBe(3);
  });

  it('runs Wait states scaled: Seconds, SecondsPath and TimestampPath against the runner clock', async () => {
    const r = runner(
      machine({
        Fixed: { Type: 'Wait', Seconds: 86_400, Next: 'ByPath' },
        ByPath: { Type: 'Wait', SecondsPath: '$.delay', Next: 'Until' },
        Until: { Type: 'Wait', TimestampPath: '$.until', Next: 'Past' },
        Past: { Type: 'Wait', Timestamp: '2020-01-01T00:00:00Z', End: true },
      }),
      {},
      { timeScale: 1e8, clock: () => Date.parse('2026-01-01T00:00:00Z') },
    );
    const done = await run(r, { delay: 86_400, until: '2026-02-01T00:00:00Z' });
    expect(done.status).toBe('SUCCEEDED');
    expect(done.history.map((h) => h.state)).toEqual(['Fixed', 'ByPath', 'Until', 'Past']);
  });

  it('resumes a .waitForTaskToken task with the $$.Task.Token it was given, once', async () => {
    const tokens: string[] = [];
    const r = runner(
      machine({
        Wait: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'work', Payload: { 'token.$': '$$.Task.Token' } },
          ResultPath: '$.decision',
          End: true,
        },
      }),
      {
        work: (payload) => {
          tokens.push((payload as { token: string }).token);
          return Promise.resolve({ ignored: true });
        },
      },
    );
    const started = r.start({ workflow: 'override-approval', name: 'e-1', input: { n: 1 } });
    const waiting = await r.until(started.executionId, (e) => e.waitingFor.length > 0);
    expect(waiting.waitingFor).toEqual(tokens);
    r.sendTaskSuccess(tokens[0] as string, { status: 'approved' });
    expect(() => {
      r.sendTaskSuccess(tokens[0] as string, {});
    }).toThrow(expect.objectContaining({ code: 'conflict', context: { staleTaskToken: true } }));
    const done = await r.until(started.executionId, (e) => e.status !== 'RUNNING');
    expect(done.output).toEqual({ n: 1, decision: { status: 'approved' } });
  });

  it('fails a waiting task with the error and cause given to sendTaskFailure', async () => {
    const r = runner(
      machine({
        Wait: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'work', Payload: { 'token.$': '$$.Task.Token' } },
          Catch: [{ ErrorEquals: ['Convoy.Rejected'], ResultPath: '$.error', Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      }),
      { work: () => Promise.resolve(null) },
    );
    const started = r.start({ workflow: 'override-approval', name: 'e-1', input: {} });
    const token = (await r.until(started.executionId, (e) => e.waitingFor.length > 0))
      .waitingFor[0] as string;
    r.sendTaskFailure(token, 'Convoy.Rejected', 'no');
    const done = await r.until(started.executionId, (e) => e.status !== 'RUNNING');
    expect(done.output).toEqual({ error: { Error: 'Convoy.Rejected', Cause: 'no' } });
  });

  it('times a task out from TimeoutSecondsPath on the state input (scaled): States.Timeout', async () => {
    const r = runner(
      machine({
        Wait: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'work', Payload: { 'token.$': '$$.Task.Token' } },
          TimeoutSecondsPath: '$.timeout',
          Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: 'Late' }],
          End: true,
        },
        Late: { Type: 'Pass', End: true },
      }),
      { work: () => Promise.resolve(null) },
      { timeScale: 1e6 },
    );
    const done = await run(r, { timeout: 86_400 });
    expect(done.history.map((h) => h.state)).toEqual(['Wait', 'Late']);
    expect(done.output).toMatchObject({ timedOut: { Error: 'States.Timeout' } });
  });

  it('fails (uncatchably, like States.Runtime) on a TimeoutSecondsPath that selects no positive integer', async () => {
    const r = runner(
      machine({
        Call: invoke(
          {},
          {
            TimeoutSecondsPath: '$.timeout',
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
            End: true,
          },
        ),
        Caught: { Type: 'Pass', End: true },
      }),
      { work: () => Promise.resolve(null) },
    );
    expect(await run(r, { timeout: 'soon' })).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('applies a fixed TimeoutSeconds too', async () => {
    const r = runner(
      machine({ Call: invoke({}, { TimeoutSeconds: 3600, End: true }) }),
      { work: () => new Promise(() => undefined) },
      { timeScale: 1e7 },
    );
    expect(await run(r)).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });

  it('binds other resources to the integrations it is given, and refuses an unbound one up front', async () => {
    const published: unknown[] = [];
    const definition = machine({
      Put: {
        Type: 'Task',
        Resource: 'arn:aws:states:::events:putEvents',
        Parameters: { Entries: [{ 'Detail.$': '$' }] },
        End: true,
      },
    });
    expect(() => runner(definition)).toThrow(
      /No local binding for arn:aws:states:::events:putEvents \(state override-approval\/Put\)/,
    );
    const r = runner(
      definition,
      {},
      {
        integrations: {
          'arn:aws:states:::events:putEvents': (parameters) => {
            published.push(parameters);
            return Promise.resolve({ FailedEntryCount: 0 });
          },
        },
      },
    );
    expect((await run(r, { x: 1 })).output).toEqual({ FailedEntryCount: 0 });
    expect(published).toEqual([{ Entries: [{ Detail: { x: 1 } }] }]);
  });

  it('starts idempotently by name and input, and refuses the same name with another input', async () => {
    const r = runner(machine({ Hold: { Type: 'Wait', Seconds: 3600, End: true } }));
    const first = r.start({ workflow: 'override-approval', name: 'same', input: { a: 1, b: 2 } });
    expect(r.start({ workflow: 'override-approval', name: 'same', input: { b: 2, a: 1 } }).executionId).toBe(
      first.executionId,
    );
    expect(() => r.start({ workflow: 'override-approval', name: 'same', input: { a: 2 } })).toThrow(
      expect.objectContaining({ code: 'conflict' }),
    );
    expect(() => r.start({ workflow: 'progressive-rollout', name: 'x', input: {} })).toThrow(
      expect.objectContaining({ code: 'unavailable' }),
    );
    expect(r.describe(first.executionId)?.status).toBe('RUNNING');
    expect(r.describe('nope')).toBeUndefined();
    await expect(r.until('nope', () => true)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('stop aborts what runs, forgets its tokens and starts nothing more', async () => {
    let invoked = 0;
    const r = runner(
      machine({
        Wait: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'work', Payload: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      }),
      {
        work: () => {
          invoked += 1;
          return Promise.resolve(null);
        },
      },
    );
    const started = r.start({ workflow: 'override-approval', name: 'e-1', input: {} });
    const token = (await r.until(started.executionId, (e) => e.waitingFor.length > 0))
      .waitingFor[0] as string;
    const ending = r.until(started.executionId, () => false).catch((e: unknown) => e);
    await r.stop();
    expect(r.describe(started.executionId)?.status).toBe('ABORTED');
    expect(await ending).toBeInstanceOf(Error);
    expect(() => {
      r.sendTaskSuccess(token, {});
    }).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => r.start({ workflow: 'override-approval', name: 'e-2', input: {} })).toThrow(
      expect.objectContaining({ code: 'unavailable' }),
    );
    expect(invoked).toBe(1);
    expect(r.list()).toHaveLength(1);
  });

  it('refuses a time scale that is not a positive number', () => {
    expect(() => createWorkflowRunner({ workflows: {}, functions: {}, timeScale: 0 })).toThrow(/timeScale/);
  });
});
