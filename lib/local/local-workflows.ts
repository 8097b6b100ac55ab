import { randomUUID } from 'node:crypto';
import { isConvoyError } from '#domain/core/errors.ts';
import { untimelyEndStatuses } from '#domain/rollout/execution-end.ts';
import type { EventPublisher, WorkflowName } from '#integrations/ports.ts';
import { loadDefinition, stateMachineFile } from './asl-definition.ts';
import { LocalAlarms } from './local-alarms.ts';
import { moduleFunction, projectRoot, type DepsSource } from './lambda-runtime.ts';
import { LocalWorkflowEngine } from './local-workflow-engine.ts';
import type { VirtualClock } from './virtual-clock.ts';
import type { ExecutionRecord } from './workflow/execution.ts';
import type { LocalFunction } from './workflow/task-bindings.ts';
import { createWorkflowRunner, type WorkflowRunner } from './workflow/workflow-runner.ts';

/** The name the local Convoy bus answers to in definitions (`${EventBusName}`). */
export const LOCAL_EVENT_BUS_NAME = 'convoy';

export const localFunctionArn = (name: string): string =>
  `arn:aws:lambda:local:000000000000:function:${name}`;

/** The workflows `convoy up` runs, each from `statemachines/<name>.asl.json`. */
export const localWorkflowNames: readonly WorkflowName[] = ['override-approval', 'progressive-rollout'];

/** Functions the workflows invoke, by function name: the same handler files CDK deploys. */
export const localWorkflowFunctions: Record<string, string> = {
  'convoy-override-decision': 'functions/workflow/override-decision.ts',
  'convoy-rollout-deploy-phase': 'functions/workflow/rollout-deploy-phase.ts',
  'convoy-rollout-decide': 'functions/workflow/rollout-decide.ts',
  'convoy-rollout-roll-back': 'functions/workflow/rollout-roll-back.ts',
};

/** The function told when a rollout's execution ends untimely (the EventBridge rule's target on AWS). */
export const ROLLOUT_EXECUTION_ENDED_FUNCTION = 'convoy-rollout-execution-ended';
export const ROLLOUT_EXECUTION_ENDED_ENTRY = 'functions/workflow/rollout-execution-ended.ts';

/** EventBridge's "Step Functions Execution Status Change" event of an execution that ended. */
export const executionStatusEvent = (execution: ExecutionRecord): Record<string, unknown> => {
  const stateMachineArn = execution.executionId
    .replace(':execution:', ':stateMachine:')
    .replace(/:[^:]+$/, '');
  return {
    version: '0',
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    time: execution.stoppedAt,
    resources: [execution.executionId],
    detail: {
      executionArn: execution.executionId,
      stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: Date.parse(execution.startedAt),
      stopDate: execution.stoppedAt === undefined ? null : Date.parse(execution.stoppedAt),
      input: JSON.stringify(execution.input),
      error: execution.error ?? null,
      cause: execution.cause ?? null,
    },
  };
};

/** The local value of every definition placeholder (CDK's definitionSubstitutions on AWS). */
export const localSubstitutions: Record<string, string> = {
  EventBusName: LOCAL_EVENT_BUS_NAME,
  OverrideDecisionFunctionArn: localFunctionArn('convoy-override-decision'),
  RolloutDeployPhaseFunctionArn: localFunctionArn('convoy-rollout-deploy-phase'),
  RolloutDecideFunctionArn: localFunctionArn('convoy-rollout-decide'),
  RolloutRollBackFunctionArn: localFunctionArn('convoy-rollout-roll-back'),
};

/** The resource of the rollout's health check, bound to the local alarm source. */
export const DESCRIBE_ALARMS_RESOURCE = 'arn:aws:states:::aws-sdk:cloudwatch:describeAlarms';

/** The resource a workflow starts an execution with (the rollout's continue-as-new starts itself). */
export const START_EXECUTION_RESOURCE = 'arn:aws:states:::states:startExecution';

const sfnError = (name: string, message: string): Error =>
  Object.assign(new Error(message), { name: `StepFunctions.${name}` });

/**
 * The workflow a state machine ARN names: its last segment is the workflow (`progressive-rollout`) or
 * ends with `-<workflow>` (`convoy-progressive-rollout` here, `<stack>-progressive-rollout` on AWS).
 */
export const workflowOfArn = (arn: unknown): WorkflowName | undefined => {
  const name = typeof arn === 'string' ? /:stateMachine:([^:]+)$/.exec(arn)?.[1] : undefined;
  return name === undefined
    ? undefined
    : localWorkflowNames.find((workflow) => name === workflow || name.endsWith(`-${workflow}`));
};

const executionInput = (input: unknown): Record<string, unknown> => {
  let value: unknown = input ?? {};
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      throw sfnError('InvalidExecutionInputException', 'Input is not valid JSON.');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw sfnError('InvalidExecutionInputException', 'Input must be a JSON object.');
  return value as Record<string, unknown>;
};

/**
 * `arn:aws:states:::states:startExecution` on the local runner, with StartExecution's contract: Input
 * is an object or a JSON string, a Name already used with the same input is a no-op returning the same
 * execution, with another input `StepFunctions.ExecutionAlreadyExistsException`. Returns
 * `{ ExecutionArn, StartDate }` (StartDate in epoch milliseconds, as the integration serializes it).
 */
export const startExecutionIntegration =
  (runner: () => WorkflowRunner) =>
  (parameters: unknown): Promise<unknown> => {
    const { StateMachineArn, Name, Input } = (parameters ?? {}) as Record<string, unknown>;
    return Promise.resolve().then(() => {
      const workflow = workflowOfArn(StateMachineArn);
      if (workflow === undefined)
        throw sfnError('StateMachineDoesNotExistException', `No state machine ${String(StateMachineArn)}.`);
      const name = typeof Name === 'string' && Name.length > 0 ? Name : randomUUID();
      try {
        const execution = runner().start({ workflow, name, input: executionInput(Input) });
        return { ExecutionArn: execution.executionId, StartDate: Date.parse(execution.startedAt) };
      } catch (error) {
        if (isConvoyError(error) && error.code === 'conflict')
          throw sfnError('ExecutionAlreadyExistsException', error.message);
        throw error;
      }
    });
  };

interface PutEventsEntry {
  EventBusName?: string;
  Source?: string;
  DetailType?: string;
  Detail?: unknown;
}

/**
 * `arn:aws:states:::events:putEvents` on the local bus, with the optimized integration's contract: an
 * entry for another bus, or a publish that fails, fails the task with `EventBridge.FailedEntry`.
 */
const putEventsIntegration =
  (events: EventPublisher) =>
  async (parameters: unknown): Promise<unknown> => {
    const entries = ((parameters as { Entries?: PutEventsEntry[] } | null)?.Entries ?? []).map((entry) => {
      if (entry.EventBusName !== undefined && entry.EventBusName !== LOCAL_EVENT_BUS_NAME) {
        throw Object.assign(new Error(`No event bus ${entry.EventBusName} in this process`), {
          name: 'EventBridge.FailedEntry',
        });
      }
      const detail: unknown =
        typeof entry.Detail === 'string' ? JSON.parse(entry.Detail) : (entry.Detail ?? {});
      return {
        source: entry.Source ?? '',
        detailType: entry.DetailType ?? '',
        detail: detail as Record<string, unknown>,
      };
    });
    try {
      await events.publish(entries);
    } catch (error) {
      throw Object.assign(new Error(error instanceof Error ? error.message : String(error)), {
        name: 'EventBridge.FailedEntry',
      });
    }
    return { Entries: entries.map(() => ({ EventId: randomUUID() })), FailedEntryCount: 0 };
  };

export interface LocalWorkflowsOptions {
  /** Where the workflows' putEvents tasks publish (the local Convoy bus). */
  events: EventPublisher;
  /** What the handler files are made from (the engine itself among them, hence late-bound). */
  deps: DepsSource;
  /** Workflow time runs this many times faster (`convoy up --time-scale`). @default 1 */
  timeScale?: number;
  /**
   * Epoch milliseconds of workflow time: Timestamp waits and `$$.State.EnteredTime`, which the rollout
   * tasks reckon bakes in (the handlers' deps.now stays on the calendar). @default Date.now
   */
  clock?: () => number;
  /** Run workflow time on this clock (the simulator); see WorkflowRunnerOptions.virtualClock. */
  virtualClock?: VirtualClock;
  onExecutionEnd?: (execution: ExecutionRecord) => void;
  /** Told when reporting an execution's end to the rollout failed. @default ignored */
  warn?: (line: string) => void;
  /** Functions by name, replacing the handler files (the simulator binds its own). */
  functions?: Record<string, LocalFunction>;
  /** What the rollout's Check Health reads. @default a fresh LocalAlarms (no alarm exists) */
  alarms?: LocalAlarms;
  root?: string;
}

/** The embedded runtime's workflows: the runner over the ASL files, and the engine port over it. */
export const createLocalWorkflows = (
  options: LocalWorkflowsOptions,
): { runner: WorkflowRunner; engine: LocalWorkflowEngine; alarms: LocalAlarms } => {
  const alarms = options.alarms ?? new LocalAlarms();
  const root = options.root ?? projectRoot;
  const workflows = Object.fromEntries(
    localWorkflowNames.map((name) => [
      name,
      loadDefinition(stateMachineFile(name, root), localSubstitutions),
    ]),
  );
  const functions = {
    ...Object.fromEntries(
      Object.entries(localWorkflowFunctions).map(([name, entry]) => [
        name,
        moduleFunction(name, entry, options.deps, root),
      ]),
    ),
    ...options.functions,
  };
  // As the EventBridge rule on AWS: a rollout's execution that fails, times out or is stopped is
  // reported to the rollout. Executions the runner aborts as the process stops are not: the process
  // goes away, not the rollout.
  const executionEnded =
    functions[ROLLOUT_EXECUTION_ENDED_FUNCTION] ??
    moduleFunction(ROLLOUT_EXECUTION_ENDED_FUNCTION, ROLLOUT_EXECUTION_ENDED_ENTRY, options.deps, root);
  let closing = false;
  const reportEnd = (execution: ExecutionRecord): void => {
    options.onExecutionEnd?.(execution);
    if (closing || execution.workflow !== 'progressive-rollout') return;
    if (!(untimelyEndStatuses as readonly string[]).includes(execution.status)) return;
    executionEnded(executionStatusEvent(execution)).catch((error: unknown) => {
      options.warn?.(
        `rollout execution ${execution.name} ended ${execution.status}; recording it failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  };
  const engineRunner: WorkflowRunner = createWorkflowRunner({
    workflows,
    functions,
    integrations: {
      'arn:aws:states:::events:putEvents': putEventsIntegration(options.events),
      [DESCRIBE_ALARMS_RESOURCE]: (parameters) => Promise.resolve(alarms.describeAlarms(parameters)),
      [START_EXECUTION_RESOURCE]: startExecutionIntegration(() => runner),
    },
    ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.virtualClock === undefined ? {} : { virtualClock: options.virtualClock }),
    onExecutionEnd: reportEnd,
  });
  const runner: WorkflowRunner = {
    ...engineRunner,
    stop: () => {
      closing = true;
      return engineRunner.stop();
    },
  };
  return { runner, engine: new LocalWorkflowEngine(runner), alarms };
};
