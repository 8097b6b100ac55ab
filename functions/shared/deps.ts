import { createDocumentClient } from '#store/client.ts';
import { createConvoyStore } from '#store/convoy-store.ts';
import type { ConvoyStore } from '#store/ports.ts';
import type {
  AppConfigPublisher,
  EventPublisher,
  SchedulePlanner,
  WorkflowEngine,
} from '#integrations/ports.ts';
import { awsCheckpointsFromEnv } from '#integrations/aws-checkpoints.ts';
import type { Checkpoints } from '#integrations/checkpoint-ports.ts';
import { awsIntegrationsFromEnv } from '#integrations/aws-integrations.ts';
import { unconfiguredIntegrations } from '#integrations/unconfigured.ts';
import { DEFAULT_TABLE_NAME } from '#store/table.ts';

/** What handlers need from the outside world; tests and the embedded runtime may replace parts. */
export interface Deps {
  store: ConvoyStore;
  now: () => Date;
  events: EventPublisher;
  workflows: WorkflowEngine;
  schedules: SchedulePlanner;
  appconfig: AppConfigPublisher;
  /** Signed audit checkpoints (KMS + S3 Object Lock on AWS, a local key and folder embedded). */
  checkpoints?: Checkpoints;
}

let current: Deps | undefined;

const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

const fromEnvironment = (): Deps => {
  const endpoint = process.env.CONVOY_DYNAMODB_ENDPOINT;
  const doc = createDocumentClient(endpoint ? { endpoint } : {});
  const tableName = process.env.CONVOY_TABLE_NAME ?? DEFAULT_TABLE_NAME;
  return {
    store: createConvoyStore({ doc, tableName }),
    now: () => new Date(),
    // AWS adapters where CDK configured them (CONVOY_EVENT_BUS_NAME, ...); fail-loud defaults otherwise.
    ...unconfiguredIntegrations(),
    ...awsIntegrationsFromEnv(process.env),
    ...optional('checkpoints', awsCheckpointsFromEnv(process.env)),
  };
};

/** Built lazily on first use, so the process can set CONVOY_* variables before that. */
export const getDeps = (): Deps => {
  current ??= fromEnvironment();
  return current;
};

export const setDeps = (deps: Partial<Deps>): void => {
  current = { ...getDeps(), ...deps };
};

export const resetDeps = (): void => {
  current = undefined;
};
