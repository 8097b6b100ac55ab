/**
 * Ports to AWS services that have no local engine. Adapters: `EventBridge…`, `StepFunctions…`,
 * `EventBridgeScheduler…` for AWS (lib/integrations), `Local…` for the embedded runtime (lib/local).
 */

export interface ConvoyEvent {
  /** e.g. convoy.freeze, convoy.override */
  source: string;
  /** e.g. FreezeStarted, OverrideRequested */
  detailType: string;
  detail: Record<string, unknown>;
}

/** Puts events on the Convoy bus. */
export interface EventPublisher {
  publish(events: readonly ConvoyEvent[]): Promise<void>;
}

export type WorkflowName = 'override-approval' | 'progressive-rollout';

/** Starts Step Functions executions and resumes `.waitForTaskToken` tasks. */
export interface WorkflowEngine {
  /** Idempotent per `name`: starting the same name with the same input again is a no-op. */
  start(input: {
    workflow: WorkflowName;
    name: string;
    input: Record<string, unknown>;
  }): Promise<{ executionId: string }>;
  sendTaskSuccess(token: string, output: Record<string, unknown>): Promise<void>;
  sendTaskFailure(token: string, error: string, cause: string): Promise<void>;
}

/** One-time schedules that invoke the freeze-activation handler (EventBridge Scheduler on AWS). */
export interface SchedulePlanner {
  /** Create or replace the schedule `name` to fire once at `at` (ISO instant) with `payload`. */
  arm(input: { name: string; at: string; payload: Record<string, unknown> }): Promise<void>;
  /** Remove the schedule if it exists. */
  disarm(name: string): Promise<void>;
}
