import { randomUUID } from 'node:crypto';
import type { RunOptions, StateMachineDefinition } from 'aws-local-stepfunctions';
import { ConvoyError } from '#domain/core/errors.ts';
import type { WorkflowName } from '#integrations/ports.ts';
import { errorNamed, snapshot, type Execution, type ExecutionRecord, type StateJson } from './execution.ts';
import { observedStateMachine } from './observed-state-machine.ts';
import { taskHandler, type TaskHandlerParts } from './task-handler.ts';
import { retryPauseMs, type Retrier } from './virtual-waits.ts';

const ACCOUNT = '000000000000';

/** The engine types task results as JSON values; the runner's bindings return JSON. */
type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

/** Engine definitions (as JSON) this process has validated already. */
const validatedDefinitions = new Set<string>();

export interface LifecycleParts extends TaskHandlerParts {
  workflows: Partial<Record<WorkflowName, StateMachineDefinition>>;
  /** Each workflow's definition as the engine runs it, once validated. */
  engines: Map<WorkflowName, StateMachineDefinition>;
  onExecutionEnd?: (execution: ExecutionRecord) => void;
}

/** A fresh execution's handles, before the engine runs it. */
const newExecution = (definition: StateMachineDefinition, record: ExecutionRecord): Execution => {
  let rejectAborted: (error: Error) => void = () => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    rejectAborted = reject;
  });
  aborted.catch(() => undefined);
  return {
    record,
    states: definition.States as Record<string, StateJson>,
    task: { Token: '' },
    state: { Name: '', EnteredTime: '' },
    abort: () => undefined,
    aborted,
    rejectAborted,
    done: Promise.resolve(),
    retryPauseMs: 0,
  };
};

/**
 * Starts an execution on the engine: records every state it enters, aborts on demand and, once it
 * has ended (succeeded, failed or aborted), stamps it, tells `onExecutionEnd` and lets go of the clock.
 */
export const runExecution = (
  parts: LifecycleParts,
  workflow: WorkflowName,
  name: string,
  input: Record<string, unknown>,
): Execution => {
  const { time, notify } = parts;
  const definition = parts.workflows[workflow];
  if (definition === undefined) {
    throw new ConvoyError('unavailable', `The ${workflow} workflow is not configured in this process.`);
  }
  const machineName = `convoy-${workflow}`;
  const executionId = `arn:aws:states:local:${ACCOUNT}:execution:${machineName}:${name}`;
  const execution = newExecution(definition, {
    executionId,
    workflow,
    name,
    input: structuredClone(input),
    status: 'RUNNING',
    startedAt: time.stamp(),
    history: [],
    waitingFor: [],
  });
  const engine = parts.engines.get(workflow) ?? time.engineDefinition(definition);
  // The engine validates a definition against the ASL schema in 0.1-0.2 s: once per process is enough.
  const text = JSON.stringify(engine);
  const validated = validatedDefinitions.has(text);
  const machine = observedStateMachine(
    engine,
    { validationOptions: validated ? { noValidate: true } : { checkArn: true, checkPaths: true } },
    ({ name: state, type: engineType, input: stateInput }) => {
      // In virtual time the engine runs Wait states as tasks: report what the definition says.
      const type = execution.states[state]?.Type ?? engineType;
      execution.current = { name: state, input: stateInput };
      if (type === 'Task') execution.task.Token = `local-${randomUUID()}`;
      Object.assign(execution.state, { Name: state, EnteredTime: new Date(time.clock()).toISOString() });
      execution.record.history.push({ state, type, at: time.stamp() });
      notify();
    },
    ({ retrier, attempt }) => {
      if (time.virtual) execution.retryPauseMs = retryPauseMs(retrier as Retrier, attempt);
    },
  );
  const handlers = Object.fromEntries(
    Object.entries(execution.states)
      .filter(([, state]) => state.Type === 'Task' || (time.virtual && state.Type === 'Wait'))
      .map(([state, json]) => [state, taskHandler(parts, execution, state, json)]),
  ) as TaskHandlers;
  parts.engines.set(workflow, engine);
  validatedDefinitions.add(text);
  // Virtual time: the execution holds the clock from its start, except while parked.
  time.unpark(execution);
  const started = machine.run(input as never, {
    noThrowOnAbort: true,
    context: {
      Execution: { Id: executionId, Name: name },
      StateMachine: { Id: `arn:aws:states:local:${ACCOUNT}:stateMachine:${machineName}`, Name: machineName },
      Task: execution.task,
      State: execution.state,
    },
    overrides: {
      taskResourceLocalHandlers: handlers,
      waitTimeOverrides: new Proxy<Record<string, number>>(
        {},
        { get: (_target, state) => (typeof state === 'string' ? time.waitMs(execution, state) : undefined) },
      ),
      retryIntervalOverrides: new Proxy<Record<string, number[]>>(
        {},
        { get: (_target, state) => (typeof state === 'string' ? time.retryMs(execution, state) : undefined) },
      ),
    },
  });
  execution.abort = () => {
    execution.record.status = 'ABORTED';
    execution.rejectAborted(errorNamed('States.Aborted', 'The execution was aborted.'));
    started.abort();
  };
  execution.done = started.result
    .then(
      (output) => {
        if (execution.record.status !== 'RUNNING') return;
        execution.record.status = 'SUCCEEDED';
        execution.record.output = output;
      },
      (error: unknown) => {
        if (execution.record.status !== 'RUNNING') return;
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
        execution.record.status = 'FAILED';
        execution.record.error = cause instanceof Error ? cause.name : 'Error';
        execution.record.cause = cause instanceof Error ? cause.message : String(cause);
      },
    )
    .then(() => {
      execution.record.stoppedAt = time.stamp();
      parts.onExecutionEnd?.(snapshot(execution));
      notify();
      time.park(execution);
    });
  return execution;
};
