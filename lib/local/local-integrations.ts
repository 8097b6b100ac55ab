import { join } from 'node:path';
import { OVERRIDE_DECISION_TIMEOUT_MS } from '#domain/overrides/override.ts';
import { currentExecutionName } from '#domain/rollout/execution-end.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import { isTerminal } from '#domain/rollout/state.ts';
import { createConvoyBus } from './convoy-bus.ts';
import type { EventPublisher, SchedulePlanner, WorkflowEngine } from '#integrations/ports.ts';
import type { BusEvent } from './event-bus.ts';
import { moduleFunction, type DepsSource } from './lambda-runtime.ts';
import type { LocalAlarms } from './local-alarms.ts';
import { LocalEventPublisher, type ConvoyEventDetail } from './local-event-publisher.ts';
import { createLocalScheduler, type LocalScheduler } from './local-scheduler.ts';
import {
  createLocalWorkflows,
  ROLLOUT_EXECUTION_ENDED_ENTRY,
  ROLLOUT_EXECUTION_ENDED_FUNCTION,
} from './local-workflows.ts';
import type { WorkflowRunner } from './workflow/workflow-runner.ts';

/** The scheduled function the local scheduler invokes (EventBridge Scheduler's target on AWS). */
export const FREEZE_ACTIVATION_ENTRY = 'functions/scheduled/freeze-activation.ts';

export interface LocalIntegrationsOptions {
  dataDir: string;
  /** What the handlers these invoke are made from: the embedded root, which holds these adapters. */
  deps: DepsSource;
  /** Workflow time runs this many times faster. @default 1 */
  timeScale?: number;
  /**
   * Epoch ms of workflow time (waits, `$$.State.EnteredTime`, hence bakes): `--time-scale`'s clock.
   * @default Date.now
   */
  clock?: () => number;
  /**
   * Epoch ms of calendar time (freeze schedules, the bus's event stamps): never scaled, pinned by
   * `--clock`. @default Date.now
   */
  calendarClock?: () => number;
  /** What the rollouts' health checks read (`convoy alarm`). @default a fresh LocalAlarms */
  alarms?: LocalAlarms;
  onEvent?: (event: BusEvent<ConvoyEventDetail>) => void;
  warn: (line: string) => void;
  /** The freeze-activation function (default: its handler file). */
  freezeActivation?: (payload: Record<string, unknown>) => Promise<unknown>;
  root?: string;
}

export interface LocalIntegrations {
  /** The ports the embedded root hands the handlers: the local bus, the runner's engine, the scheduler. */
  events: EventPublisher;
  workflows: WorkflowEngine;
  schedules: SchedulePlanner;
  runner: WorkflowRunner;
  scheduler: LocalScheduler;
  /** Where the Convoy bus writes every event (JSON lines). */
  eventsFile: string;
  /**
   * After a restart: re-arm the freeze schedules from the stored calendar (a `rearm` activation, which
   * also catches up on windows that started or ended while Convoy was down) and start the approval
   * workflow of every open override again (a decided one resumes itself at once). A rollout that had
   * not ended lost its execution with the process: it learns so, as of any execution that ended early
   * (it pauses or rolls back per its strategy; `resume` or `abort` starts a fresh execution).
   */
  recover(): Promise<void>;
  /** Stops the workflows and the timers; idempotent. */
  stop(): Promise<void>;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The embedded runtime's edge adapters, for the handlers' deps: the local Convoy bus
 * (LocalEventPublisher), the workflow runner (LocalWorkflowEngine) and the local scheduler. The
 * functions they invoke are made from `deps` when first invoked.
 */
export const startLocalIntegrations = (options: LocalIntegrationsOptions): LocalIntegrations => {
  const eventsFile = join(options.dataDir, 'events.jsonl');
  const bus = createConvoyBus({
    file: eventsFile,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    onSubscriberError: (name, error) => {
      options.warn(`event subscriber ${name} failed: ${message(error)}`);
    },
  });
  const { clock, calendarClock } = options;
  // EventBridge stamps events when they are put: calendar time, whatever pace the workflows run at.
  const events = new LocalEventPublisher(bus, calendarClock ? () => new Date(calendarClock()) : undefined);
  const { runner, engine } = createLocalWorkflows({
    events,
    deps: options.deps,
    ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
    ...(clock === undefined ? {} : { clock }),
    ...(options.alarms === undefined ? {} : { alarms: options.alarms }),
    ...(options.root === undefined ? {} : { root: options.root }),
    warn: options.warn,
    onExecutionEnd: (execution) => {
      if (execution.status === 'FAILED') {
        options.warn(
          `workflow ${execution.workflow} ${execution.name} failed: ${execution.error ?? 'error'} ${execution.cause ?? ''}`.trim(),
        );
      }
    },
  });
  const activate =
    options.freezeActivation ??
    moduleFunction('convoy-freeze-activation', FREEZE_ACTIVATION_ENTRY, options.deps, options.root);
  const scheduler = createLocalScheduler({
    target: activate,
    ...(options.calendarClock === undefined ? {} : { now: options.calendarClock }),
    onError: (schedule, error) => {
      options.warn(`schedule ${schedule.name} (${schedule.at}) failed: ${message(error)}`);
    },
  });

  let stopping: Promise<void> | undefined;
  return {
    events,
    workflows: engine,
    schedules: scheduler,
    runner,
    scheduler,
    eventsFile,
    async recover() {
      try {
        await activate({ reason: 'rearm' });
      } catch (error) {
        options.warn(`re-arming the freeze schedules failed: ${message(error)}`);
      }
      try {
        const { store, now } = options.deps();
        const open = [
          ...(await store.overrides.list({ status: 'pending' })),
          ...(await store.overrides.list({ status: 'approved' })),
        ];
        for (const { override } of open) {
          const remaining = Math.ceil((Date.parse(override.decideBy) - now().getTime()) / 1000);
          const decisionTimeoutSeconds =
            override.status === 'pending' ? Math.max(1, remaining) : OVERRIDE_DECISION_TIMEOUT_MS / 1000;
          runner.start({
            workflow: 'override-approval',
            name: override.id,
            input: { overrideId: override.id, decisionTimeoutSeconds, resumed: true },
          });
        }
      } catch (error) {
        options.warn(`resuming the override workflows failed: ${message(error)}`);
      }
      try {
        const { store } = options.deps();
        const executionEnded = moduleFunction(
          ROLLOUT_EXECUTION_ENDED_FUNCTION,
          ROLLOUT_EXECUTION_ENDED_ENTRY,
          options.deps,
          options.root,
        );
        for (const { rolloutId } of await store.rollouts.list()) {
          const state = reduceRollout(await store.rollouts.events(rolloutId));
          if (isTerminal(state.status)) continue;
          await executionEnded({
            source: 'aws.states',
            'detail-type': 'Step Functions Execution Status Change',
            detail: {
              name: currentExecutionName(state),
              status: 'ABORTED',
              input: JSON.stringify({ rolloutId }),
              cause: 'Convoy stopped while the rollout ran.',
            },
          });
        }
      } catch (error) {
        options.warn(`recording the rollouts' lost executions failed: ${message(error)}`);
      }
    },
    stop() {
      stopping ??= Promise.all([runner.stop(), scheduler.stop()]).then(() => undefined);
      return stopping;
    },
  };
};
