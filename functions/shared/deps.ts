import type { Deps } from '#app/deps.ts';
import { createDocumentClient } from '#store/client.ts';
import { createConvoyStore } from '#store/convoy-store.ts';
import { awsCheckpointsFromEnv } from '#integrations/aws-checkpoints.ts';
import { awsIntegrationsFromEnv } from '#integrations/aws-integrations.ts';
import { unconfiguredIntegrations } from '#integrations/unconfigured.ts';
import { DEFAULT_TABLE_NAME } from '#store/table.ts';

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
