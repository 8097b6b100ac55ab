/**
 * Ports to AWS services that have no local engine. Adapters: `EventBridge…`, `StepFunctions…`,
 * `EventBridgeScheduler…` for AWS (lib/integrations), `Local…` for the embedded runtime (lib/local).
 */
import type { AppConfigDeploymentState, LiveDeployment } from '#domain/environments/sink-status.ts';

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
  /** Stop a running execution by name; one that has ended (or never ran) is fine. */
  stop(input: { workflow: WorkflowName; name: string; cause: string }): Promise<void>;
}

/** One-time schedules that invoke the freeze-activation handler (EventBridge Scheduler on AWS). */
export interface SchedulePlanner {
  /** Create or replace the schedule `name` to fire once at `at` (ISO instant) with `payload`. */
  arm(input: { name: string; at: string; payload: Record<string, unknown> }): Promise<void>;
  /** Remove the schedule if it exists. */
  disarm(name: string): Promise<void>;
}

/** Where an environment's configuration goes in AppConfig (the catalog's `appconfig`): names or ids. */
export interface AppConfigBinding {
  application: string;
  environment: string;
  profile: string;
  deploymentStrategy: string;
}

export interface AppConfigDeploymentInfo {
  state: AppConfigDeploymentState;
  percentageComplete: number;
  versionNumber: number;
}

/** Publishes configuration to AppConfig's hosted store and deploys it (AppConfigSdkPublisher on AWS). */
export interface AppConfigPublisher {
  /** The newest hosted version of the bound profile, if any (for the optimistic write and crash recovery). */
  latestVersion(
    binding: AppConfigBinding,
  ): Promise<{ versionNumber: number; description?: string } | undefined>;
  /** A new hosted version; with `latestVersionNumber`, a version written since is a ConvoyError `conflict`. */
  createVersion(
    binding: AppConfigBinding,
    version: {
      content: string;
      contentType: 'application/json';
      description: string;
      latestVersionNumber?: number;
    },
  ): Promise<{ versionNumber: number }>;
  /**
   * Deploy a hosted version. AppConfig's one-deployment-per-environment rule is retried with backoff
   * (`maxAttempts` in all), then a `conflict` naming the deployment in progress.
   */
  startDeployment(
    binding: AppConfigBinding,
    versionNumber: number,
    description: string,
    options?: { maxAttempts?: number },
  ): Promise<{ deploymentNumber: number }>;
  getDeployment(binding: AppConfigBinding, deploymentNumber: number): Promise<AppConfigDeploymentInfo>;
  /** The newest deployment of the bound profile in the bound environment, if any. */
  latestDeployment(binding: AppConfigBinding): Promise<LiveDeployment | undefined>;
}
