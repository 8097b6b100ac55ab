import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEventBus } from '#local/event-bus.ts';
import { LocalEventPublisher } from '#local/local-event-publisher.ts';
import {
  createLocalWorkflows,
  START_EXECUTION_RESOURCE,
  startExecutionIntegration,
  workflowOfArn,
} from '#local/local-workflows.ts';
import { VirtualClock } from '#local/virtual-clock.ts';
import type { WorkflowRunner } from '#local/workflow/workflow-runner.ts';

/**
 * `arn:aws:states:::states:startExecution` bound to the local runner, as the rollout's continue-as-new
 * uses it: a tiny counting workflow (not the real rollout) that hands its state to a fresh execution of
 * itself through `$$.StateMachine.Id` until it reaches its limit.
 */
const T0 = Date.parse('2026-12-01T09:00:00Z');
const start = (input: Record<string, unknown>) => ({
  Type: 'Task',
  Resource: START_EXECUTION_RESOURCE,
  Parameters: {
    'StateMachineArn.$': '$$.StateMachine.Id',
    'Name.$': "States.Format('count-{}', $.n)",
    ...input,
  },
});

const counting = {
  StartAt: 'Count',
  States: {
    Count: {
      Type: 'Pass',
      Parameters: { 'n.$': 'States.MathAdd($.n, 1)', 'limit.$': '$.limit' },
      Next: 'Tick',
    },
    Tick: { Type: 'Wait', Seconds: 60, Next: 'Done?' },
    'Done?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.n', NumericGreaterThanEqualsPath: '$.limit', Next: 'Finished' }],
      Default: 'Handover',
    },
    Handover: {
      Type: 'Pass',
      Parameters: { 'n.$': '$.n', 'limit.$': '$.limit' },
      ResultPath: '$.handover',
      Next: 'Continue As New',
    },
    'Continue As New': {
      ...start({ 'Input.$': '$.handover' }),
      ResultSelector: { 'arn.$': '$.ExecutionArn', 'startDate.$': '$.StartDate' },
      ResultPath: '$.next',
      Next: 'Start Again',
    },
    'Start Again': {
      ...start({ 'Input.$': 'States.JsonToString($.handover)' }),
      Comment: 'A retried start: the same name and input (as a JSON string this time) is the same execution.',
      ResultSelector: { 'arn.$': '$.ExecutionArn' },
      ResultPath: '$.again',
      Next: 'Clash',
    },
    Clash: {
      ...start({ Input: { other: true } }),
      Catch: [
        {
          ErrorEquals: ['StepFunctions.ExecutionAlreadyExistsException'],
          ResultPath: '$.clash',
          Next: 'Handed Over',
        },
      ],
      Next: 'Handed Over',
    },
    'Handed Over': {
      Type: 'Pass',
      Parameters: {
        'next.$': '$.next',
        'again.$': '$.again.arn',
        'clash.$': '$.clash.Error',
        'machine.$': '$$.StateMachine.Id',
        'execution.$': '$$.Execution.Id',
        'name.$': '$$.Execution.Name',
      },
      End: true,
    },
    Finished: { Type: 'Succeed' },
  },
};

const root = mkdtempSync(join(tmpdir(), 'convoy-continue-'));
mkdirSync(join(root, 'statemachines'));
writeFileSync(join(root, 'statemachines', 'progressive-rollout.asl.json'), JSON.stringify(counting));
writeFileSync(
  join(root, 'statemachines', 'override-approval.asl.json'),
  JSON.stringify({ StartAt: 'Noop', States: { Noop: { Type: 'Succeed' } } }),
);
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const MACHINE = 'arn:aws:states:local:000000000000:stateMachine:convoy-progressive-rollout';
const EXECUTION = 'arn:aws:states:local:000000000000:execution:convoy-progressive-rollout';

describe('continue as new (startExecution on the local runner)', () => {
  it('hands the state to a fresh execution of itself, by $$.StateMachine.Id, on the virtual clock', async () => {
    const clock = new VirtualClock({ start: T0 });
    const { runner } = createLocalWorkflows({
      events: new LocalEventPublisher(createEventBus()),
      virtualClock: clock,
      // This definition invokes no function: nothing is made from these deps.
      deps: () => {
        throw new Error('no handler runs in this workflow');
      },
      root,
    });
    runner.start({ workflow: 'progressive-rollout', name: 'count-0', input: { n: 0, limit: 3 } });
    await clock.idle();
    const executions = runner.list();
    expect(executions.map((e) => [e.name, e.status, e.input, (Date.parse(e.startedAt) - T0) / 1000])).toEqual(
      [
        ['count-0', 'SUCCEEDED', { n: 0, limit: 3 }, 0],
        ['count-1', 'SUCCEEDED', { n: 1, limit: 3 }, 60],
        ['count-2', 'SUCCEEDED', { n: 2, limit: 3 }, 120],
      ],
    );
    const [first, second, last] = executions;
    expect(first?.output).toEqual({
      next: { arn: `${EXECUTION}:count-1`, startDate: T0 + 60_000 },
      again: `${EXECUTION}:count-1`,
      clash: 'StepFunctions.ExecutionAlreadyExistsException',
      machine: MACHINE,
      execution: `${EXECUTION}:count-0`,
      name: 'count-0',
    });
    expect(second?.output).toMatchObject({ next: { arn: `${EXECUTION}:count-2` }, name: 'count-1' });
    expect(last?.history.at(-1)?.state).toBe('Finished');
    await runner.stop();
  });

  it('fails a start for an unknown machine, with a bad Input, or when the engine is gone', async () => {
    const stopped = {
      start: () => {
        throw new Error('stopping');
      },
    } as unknown as WorkflowRunner;
    const bind = startExecutionIntegration(() => stopped);
    await expect(bind({ StateMachineArn: 'arn:aws:states:x:1:stateMachine:other' })).rejects.toMatchObject({
      name: 'StepFunctions.StateMachineDoesNotExistException',
    });
    for (const Input of ['{not json', '[1]', 42])
      await expect(bind({ StateMachineArn: MACHINE, Input })).rejects.toMatchObject({
        name: 'StepFunctions.InvalidExecutionInputException',
      });
    await expect(bind({ StateMachineArn: MACHINE })).rejects.toThrow('stopping');
    await expect(bind(null)).rejects.toMatchObject({
      name: 'StepFunctions.StateMachineDoesNotExistException',
    });
  });

  it('names an execution when the start gives no Name', async () => {
    const started: unknown[] = [];
    const recording = {
      start: (request: unknown) => {
        started.push(request);
        return { executionId: 'arn:x', startedAt: '2026-12-01T09:00:00.000Z' };
      },
    } as unknown as WorkflowRunner;
    const result = await startExecutionIntegration(() => recording)({
      StateMachineArn: MACHINE,
      Input: '{"a":1}',
    });
    expect(result).toEqual({ ExecutionArn: 'arn:x', StartDate: T0 });
    expect(started).toEqual([
      { workflow: 'progressive-rollout', name: expect.stringMatching(/^[0-9a-f-]{36}$/), input: { a: 1 } },
    ]);
  });

  it('maps state machine ARNs to workflows, locally and on AWS', () => {
    expect(workflowOfArn(MACHINE)).toBe('progressive-rollout');
    expect(workflowOfArn('arn:aws:states:eu-west-1:123:stateMachine:prod-override-approval')).toBe(
      'override-approval',
    );
    expect(workflowOfArn('arn:aws:states:eu-west-1:123:stateMachine:progressive-rollout')).toBe(
      'progressive-rollout',
    );
    for (const arn of ['arn:aws:states:eu-west-1:123:stateMachine:other', 'nope', 42, undefined])
      expect(workflowOfArn(arn)).toBeUndefined();
  });
});
