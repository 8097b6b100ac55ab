import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ConvoyError } from '#domain/core/errors.ts';
import { executionArnOf, StepFunctionsWorkflowEngine } from '#integrations/step-functions-workflow-engine.ts';

const sfn = mockClient(SFNClient);
afterEach(() => {
  sfn.reset();
});

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:convoy-override-approval';
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:convoy-override-approval:ovr-1';
const engine = () =>
  new StepFunctionsWorkflowEngine({
    client: new SFNClient({}),
    stateMachines: { 'override-approval': MACHINE },
  });
const meta = { $metadata: {} };
const input = { overrideId: 'ovr-1', decisionTimeoutSeconds: 86400 };
const start = () => engine().start({ workflow: 'override-approval', name: 'ovr-1', input });

const failure = async (promise: Promise<unknown>): Promise<ConvoyError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConvoyError);
  return error as ConvoyError;
};

describe('StepFunctionsWorkflowEngine', () => {
  it('derives execution ARNs from the state machine ARN', () => {
    expect(executionArnOf(MACHINE, 'ovr-1')).toBe(EXECUTION);
  });

  it('starts a named execution of the workflow state machine with the input as JSON', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date() });
    expect(await start()).toEqual({ executionId: EXECUTION });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: MACHINE,
      name: 'ovr-1',
      input: JSON.stringify(input),
    });
  });

  it('treats ExecutionAlreadyExists with the same input (in any key order) as success', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', ...meta }));
    sfn
      .on(DescribeExecutionCommand, { executionArn: EXECUTION })
      .resolves({ executionArn: EXECUTION, input: '{"decisionTimeoutSeconds":86400,"overrideId":"ovr-1"}' });
    expect(await start()).toEqual({ executionId: EXECUTION });
  });

  it('refuses ExecutionAlreadyExists with another input as a conflict', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', ...meta }));
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXECUTION, input: '{"overrideId":"ovr-2"}' });
    const error = await failure(start());
    expect(error.code).toBe('conflict');
    expect(error.context).toEqual({ executionId: EXECUTION });
  });

  it('refuses an existing execution whose input cannot be read back', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', ...meta }));
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXECUTION, input: 'not json' });
    expect((await failure(start())).code).toBe('conflict');
  });

  it('reports a failing DescribeExecution through the shared translation', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', ...meta }));
    sfn.on(DescribeExecutionCommand).rejects(
      new SFNServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        message: 'Rate exceeded',
        ...meta,
      }),
    );
    expect((await failure(start())).code).toBe('unavailable');
  });

  it('turns throttling into unavailable (safe to retry), with the SDK error as cause only', async () => {
    const throttled = new SFNServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      message: 'Rate exceeded for arn:aws:states:secret',
      ...meta,
    });
    sfn.on(StartExecutionCommand).rejects(throttled);
    const error = await failure(start());
    expect(error.code).toBe('unavailable');
    expect(error.message).not.toContain('arn:');
    expect(error.cause).toBe(throttled);
  });

  it('turns a missing state machine into an internal error that names the misconfiguration', async () => {
    sfn.on(StartExecutionCommand).rejects(new StateMachineDoesNotExist({ message: 'gone', ...meta }));
    const error = await failure(start());
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(/StateMachineDoesNotExist.*configuration/);
  });

  it('refuses to start a workflow it was not configured with', async () => {
    const error = await failure(engine().start({ workflow: 'progressive-rollout', name: 'r-1', input: {} }));
    expect(error.code).toBe('unavailable');
    expect(sfn.calls()).toHaveLength(0);
  });

  it('resumes a task token with the output as JSON', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    await engine().sendTaskSuccess('token-1', { status: 'approved' });
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 'token-1',
      output: '{"status":"approved"}',
    });
  });

  it.each([
    ['TaskTimedOut', new TaskTimedOut({ message: 'timed out', ...meta })],
    ['TaskDoesNotExist', new TaskDoesNotExist({ message: 'no task', ...meta })],
    ['InvalidToken', new InvalidToken({ message: 'bad token', ...meta })],
  ])(
    'reports a token the workflow no longer waits for (%s) as a stale-token conflict',
    async (name, thrown) => {
      sfn.on(SendTaskSuccessCommand).rejects(thrown);
      const error = await failure(engine().sendTaskSuccess('token-1', {}));
      expect(error.code).toBe('conflict');
      expect(error.context).toEqual({ staleTaskToken: true, awsError: name });
    },
  );

  it('fails a task with error and cause cut to the Step Functions limits', async () => {
    sfn.on(SendTaskFailureCommand).resolves({});
    await engine().sendTaskFailure('token-1', 'E'.repeat(300), 'c'.repeat(40_000));
    const sent = sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input;
    expect(sent?.error).toHaveLength(256);
    expect(sent?.cause).toHaveLength(32_768);
  });

  it('reports a throttled SendTaskFailure as unavailable', async () => {
    sfn.on(SendTaskFailureCommand).rejects(
      new SFNServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        message: 'slow down',
        ...meta,
      }),
    );
    expect((await failure(engine().sendTaskFailure('t', 'E', 'c'))).code).toBe('unavailable');
  });

  const stop = (cause = 'rolled back') =>
    engine().stop({ workflow: 'override-approval', name: 'ovr-1', cause });

  it.each([
    ['a short cause as is', 'superseded by r-2', 'superseded by r-2'],
    ['a cause at the limit as is', 'c'.repeat(32_768), 'c'.repeat(32_768)],
    ['a longer cause cut to the limit', 'c'.repeat(40_000), 'c'.repeat(32_768)],
  ])('stops the named execution with %s', async (_case, cause, sent) => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    await stop(cause);
    expect(sfn.commandCalls(StopExecutionCommand).map((call) => call.args[0].input)).toEqual([
      { executionArn: EXECUTION, cause: sent },
    ]);
  });

  it('treats stopping an execution that does not exist as done', async () => {
    sfn.on(StopExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no execution', ...meta }));
    await expect(stop()).resolves.toBeUndefined();
  });

  it('reports a throttled StopExecution as unavailable, with the SDK error as cause only', async () => {
    const throttled = new SFNServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      message: 'Rate exceeded for arn:aws:states:secret',
      ...meta,
    });
    sfn.on(StopExecutionCommand).rejects(throttled);
    const error = await failure(stop());
    expect(error.code).toBe('unavailable');
    expect(error.message).not.toContain('arn:');
    expect(error.cause).toBe(throttled);
  });

  it('refuses to stop an execution of a workflow it was not configured with', async () => {
    const error = await failure(engine().stop({ workflow: 'progressive-rollout', name: 'r-1', cause: 'x' }));
    expect(error.code).toBe('unavailable');
    expect(error.context).toEqual({ workflow: 'progressive-rollout' });
    expect(sfn.calls()).toHaveLength(0);
  });

  it('falls back to the derived execution ARN when StartExecution returns none', async () => {
    sfn.on(StartExecutionCommand).resolves({});
    expect(await start()).toEqual({ executionId: EXECUTION });
  });
});
