import { ConvoyError } from '#domain/core/errors.ts';
import type { AppConfigPublisher, EventPublisher, SchedulePlanner, WorkflowEngine } from './ports.ts';

const missing = (what: string): Promise<never> =>
  Promise.reject(new ConvoyError('unavailable', `${what} is not configured in this process.`));

/**
 * What a process gets before its runtime wires real adapters (AWS in Lambda, local in `convoy up`):
 * every call fails as `unavailable` rather than silently doing nothing. AppConfig is called only for
 * environments the catalog binds to it, so an unbound catalog never notices it is missing.
 */
export const unconfiguredIntegrations = (): {
  events: EventPublisher;
  workflows: WorkflowEngine;
  schedules: SchedulePlanner;
  appconfig: AppConfigPublisher;
} => ({
  events: { publish: () => missing('The event bus') },
  workflows: {
    start: () => missing('The workflow engine'),
    sendTaskSuccess: () => missing('The workflow engine'),
    sendTaskFailure: () => missing('The workflow engine'),
    stop: () => missing('The workflow engine'),
  },
  schedules: { arm: () => missing('The scheduler'), disarm: () => missing('The scheduler') },
  appconfig: {
    latestVersion: () => missing('AppConfig'),
    createVersion: () => missing('AppConfig'),
    startDeployment: () => missing('AppConfig'),
    getDeployment: () => missing('AppConfig'),
    latestDeployment: () => missing('AppConfig'),
  },
});
