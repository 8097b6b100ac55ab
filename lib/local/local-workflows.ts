import { randomUUID } from 'node:crypto';
import type { EventPublisher, WorkflowName } from '../integrations/ports.ts';
import { loadDefinition, stateMachineFile } from './asl-definition.ts';
import { LocalAlarms } from './local-alarms.ts';
import { moduleFunction, projectRoot } from './lambda-runtime.ts';
import { LocalWorkflowEngine } from './local-workflow-engine.ts';
import {
  createWorkflowRunner,
  type ExecutionRecord,
  type LocalFunction,
  type WorkflowRunner,
} from './workflow-runner.ts';

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
  /** Workflow time runs this many times faster (`convoy up --time-scale`). @default 1 */
  timeScale?: number;
  /** Epoch milliseconds for Timestamp waits: the same clock as the handlers' deps.now. @default Date.now */
  clock?: () => number;
  onExecutionEnd?: (execution: ExecutionRecord) => void;
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
        moduleFunction(name, entry, root),
      ]),
    ),
    ...options.functions,
  };
  const runner = createWorkflowRunner({
    workflows,
    functions,
    integrations: {
      'arn:aws:states:::events:putEvents': putEventsIntegration(options.events),
      [DESCRIBE_ALARMS_RESOURCE]: (parameters) => Promise.resolve(alarms.describeAlarms(parameters)),
    },
    ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.onExecutionEnd === undefined ? {} : { onExecutionEnd: options.onExecutionEnd }),
  });
  return { runner, engine: new LocalWorkflowEngine(runner), alarms };
};
