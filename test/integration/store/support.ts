import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AuditDraft } from '#domain/audit/event.ts';
import type { Bundle, SealedBundle } from '#domain/bundles/bundle.ts';
import { applyBundle } from '#domain/bundles/snapshot.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { ConvoyError } from '#domain/core/errors.ts';
import { contentHash, type JsonValue } from '#domain/core/json.ts';
import { deploymentId, type DeploymentRecord, type Head } from '#domain/environments/head.ts';
import { createDocumentClient } from '#store/client.ts';
import { createConvoyStore } from '#store/convoy-store.ts';
import type { Actor, ConvoyStore, EnvironmentChange } from '#store/ports.ts';
import { createTestTable, type TestTable } from '../../support/dynamo.ts';

export interface Harness {
  table: TestTable;
  store: ConvoyStore;
  /** A store over the same table through another client (e.g. one with a crash middleware). */
  storeWith(doc: DynamoDBDocumentClient): ConvoyStore;
  /** A fresh document client on the same engine, free to carry test middleware. */
  freshClient(): DynamoDBDocumentClient;
}

export const createHarness = async (prefix: string): Promise<Harness> => {
  const table = await createTestTable(prefix);
  const storeWith = (doc: DynamoDBDocumentClient): ConvoyStore =>
    createConvoyStore({ doc, tableName: table.tableName });
  return {
    table,
    store: storeWith(table.doc),
    storeWith,
    freshClient: () => createDocumentClient({ endpoint: table.endpoint }),
  };
};

export const AT = '2026-03-01T10:00:00.000Z';

export const actor = (principal = 'olivia', at = AT): Actor => ({ principal, at });

export const catalogOf = (environments: string[]): Catalog => ({
  environments: environments.map((name) => ({ name })),
  strategies: [],
  teams: [{ name: 'payments' }],
  namespaces: [{ name: 'payments', owner: 'payments' }],
  parameters: [{ key: 'payments.checkout.timeoutMs', type: 'integer', min: 100, max: 30000, default: 2000 }],
  services: [{ name: 'checkout-api', team: 'payments', consumes: ['payments.checkout.*'] }],
  roles: [{ principal: 'olivia', roles: ['release-manager'] }],
});

export const sealedBundle = (
  name: string,
  version: string,
  values: Record<string, JsonValue>,
  release = '2026.12-R1',
): SealedBundle => {
  const bundle: Bundle = {
    name,
    version,
    release,
    team: 'payments',
    requires: [],
    dependsOn: [],
    changes: Object.entries(values).map(([key, value]) => ({ set: key, value })),
  };
  return { bundle, hash: contentHash(bundle) };
};

export const requireHead = async (store: ConvoyStore, environment: string): Promise<Head> => {
  const head = await store.environments.getHead(environment);
  if (!head) throw new Error(`no HEAD for ${environment}`);
  return head;
};

/**
 * What a deploy handler does before the flip: compute the next snapshot from HEAD's, write it, and
 * describe the change. The store is what is under test here, not the planning rules.
 */
export const prepareDeploy = async (
  store: ConvoyStore,
  head: Head,
  sealed: SealedBundle,
  options: { at?: string; principal?: string; idempotencyKey?: string } = {},
): Promise<EnvironmentChange> => {
  const at = options.at ?? AT;
  const principal = options.principal ?? 'olivia';
  const current = await store.snapshots.getSnapshot(head.snapshot);
  const next = applyBundle(current, sealed);
  const snapshot = await store.snapshots.putSnapshot(next);
  const { name, version } = sealed.bundle;
  const headVersion = head.version + 1;
  const deployment: DeploymentRecord = {
    id: deploymentId(head.environment, headVersion),
    environment: head.environment,
    kind: 'deploy',
    headVersion,
    bundle: { name, version, hash: sealed.hash },
    previousSnapshot: head.snapshot,
    snapshot,
    principal,
    at,
    ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
    sinks: {},
  };
  const audit: AuditDraft = {
    type: 'BundleDeployed',
    at,
    actor: principal,
    subject: head.environment,
    detail: { bundle: `${name}@${version}`, hash: sealed.hash, headVersion, snapshot },
  };
  return {
    environment: head.environment,
    expected: head,
    deployment,
    audit,
    ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
  };
};

/** Await a promise that must reject with a ConvoyError, and return it. */
export const convoyError = async (promise: Promise<unknown>): Promise<ConvoyError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConvoyError) return error;
    throw error;
  }
  throw new Error('expected a ConvoyError, but the call succeeded');
};

/** Every item of the table, as plain values. */
export const items = async (table: TestTable): Promise<Record<string, unknown>[]> =>
  (await table.dump()).map((item) => unmarshall(item as Record<string, AttributeValue>));

/** Items of the table with a given `type` tag (and optionally a partition). */
export const itemsOfType = async (
  table: TestTable,
  type: string,
  pk?: string,
): Promise<Record<string, unknown>[]> =>
  (await items(table)).filter((item) => item.type === type && (pk === undefined || item.pk === pk));

/**
 * Make every TransactWriteItems of `doc` fail as a lost connection would, after DynamoDB received
 * nothing: the process "crashes" between the snapshot write and the HEAD flip.
 */
export const crashOn = (
  doc: DynamoDBDocumentClient,
  commandName: string,
  when: (input: unknown) => boolean = () => true,
): void => {
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === commandName && when(args.input)) {
        throw Object.assign(new Error('injected crash: socket hang up'), { code: 'ECONNRESET' });
      }
      return next(args);
    },
    { step: 'initialize', name: `crash-${commandName}` },
  );
};
