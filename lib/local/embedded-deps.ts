import type { Deps } from '#app/deps.ts';
import { EvaluationTally } from '#domain/flags/evaluation-tally.ts';
import type { Checkpoints } from '#integrations/checkpoint-ports.ts';
import type { EventPublisher, SchedulePlanner, WorkflowEngine } from '#integrations/ports.ts';
import { unconfiguredIntegrations } from '#integrations/unconfigured.ts';
import { createDocumentClient } from '#store/client.ts';
import { createConvoyStore } from '#store/convoy-store.ts';
import type { ConvoyStore } from '#store/ports.ts';
import { addCommitBarrier } from './commit-barrier.ts';
import { createLocalDynamoDbClient } from './local-clients.ts';

/**
 * The handlers' store on DynamoDB Local: every transaction waits until the engine has committed it
 * (see commit-barrier.ts), so an acknowledged write survives a `kill -9` of the engine.
 */
export const embeddedStore = (endpoint: string, tableName: string): ConvoyStore => {
  const doc = createDocumentClient({ endpoint });
  addCommitBarrier(doc, createLocalDynamoDbClient(endpoint));
  return createConvoyStore({ doc, tableName });
};

export interface EmbeddedDepsOptions {
  store: ConvoyStore;
  /** The local Convoy bus, workflow runner and scheduler (local-integrations.ts). */
  integrations: { events: EventPublisher; workflows: WorkflowEngine; schedules: SchedulePlanner };
  /** The runtime's calendar clock (`--clock`), never the workflows' scaled one. @default Date.now */
  calendarClock?: () => number;
  checkpoints: Checkpoints;
}

/**
 * The embedded runtime's composition root: what every handler it loads is made from. There is no
 * AppConfig locally: its port stays the fail-loud stand-in, as in a Lambda CDK did not configure.
 */
export const embeddedDeps = (options: EmbeddedDepsOptions): Deps => {
  const clock = options.calendarClock;
  const { events, workflows, schedules } = options.integrations;
  return {
    ...unconfiguredIntegrations(),
    store: options.store,
    now: clock === undefined ? () => new Date() : () => new Date(clock()),
    events,
    workflows,
    schedules,
    checkpoints: options.checkpoints,
    // The runtime flushes it on a timer and when it stops (runtime.ts).
    evaluationTally: new EvaluationTally(),
  };
};
