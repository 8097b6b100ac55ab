import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditDraft, AuditEvent, ChainPosition } from '../domain/audit/event.ts';
import type { SealedBundle } from '../domain/bundles/bundle.ts';
import type { Snapshot } from '../domain/bundles/snapshot.ts';
import type { Catalog } from '../domain/catalog/catalog.ts';
import type { DeploymentRecord, Head } from '../domain/environments/head.ts';

/** One extra item of the commit transaction (the freeze guard ConditionCheck, the override Update). */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface Actor {
  principal: string;
  /** ISO 8601 instant of the request. */
  at: string;
}

export interface StoredCatalog {
  catalog: Catalog;
  version: number;
  hash: string;
  updatedAt: string;
  updatedBy: string;
}

export interface CatalogStore {
  getCatalog(): Promise<StoredCatalog | undefined>;
  /**
   * Replace the catalog. `expectedVersion` (0 when none exists yet) makes it conditional; a lost race
   * is a `conflict`. Environments new in the catalog get a HEAD at version 0 in the same transaction.
   */
  putCatalog(catalog: Catalog, expectedVersion: number, actor: Actor): Promise<StoredCatalog>;
}

export interface BundleSummary {
  name: string;
  version: string;
  release: string;
  team: string;
  hash: string;
  changes: number;
  pushedAt: string;
  pushedBy: string;
}

export interface StoredBundle extends BundleSummary {
  sealed: SealedBundle;
}

export interface BundleStore {
  /**
   * Push a sealed bundle. Same name@version with the same hash: `{ created: false }`. Different hash:
   * ConvoyError `conflict` whose context names `existingHash` and `pushedHash`.
   */
  putBundle(sealed: SealedBundle, actor: Actor): Promise<{ created: boolean; summary: BundleSummary }>;
  getBundle(name: string, version: string): Promise<StoredBundle | undefined>;
  listBundles(filter?: { release?: string; name?: string }): Promise<BundleSummary[]>;
  /** Every bundle of a release, full documents (for the conflict rule). */
  releaseBundles(release: string): Promise<SealedBundle[]>;
}

export interface SnapshotStore {
  /** Idempotent: same content, same address. Chunked under the 400 KB item limit. */
  putSnapshot(snapshot: Snapshot): Promise<string>;
  /** ConvoyError `not-found` if absent or incomplete. */
  getSnapshot(hash: string): Promise<Snapshot>;
}

export interface ServiceVersion {
  service: string;
  version: string;
  reportedAt: string;
  reportedBy: string;
}

/** An environment change ready to commit: the HEAD flip, its record and its audit event. */
export interface EnvironmentChange {
  environment: string;
  /** The HEAD this change was computed against; the flip is conditional on it. */
  expected: Head;
  /** The full record; its headVersion must be expected.version + 1 and its snapshot the next HEAD. */
  deployment: DeploymentRecord;
  audit: AuditDraft;
  /** Becomes the transaction's ClientRequestToken. */
  idempotencyKey?: string;
  /** Added to the same TransactWriteItems (freeze guard, override use). */
  guards?: TransactItem[];
}

export interface EnvironmentStore {
  getHead(environment: string): Promise<Head | undefined>;
  listHeads(): Promise<Head[]>;
  /**
   * One TransactWriteItems: Update HEAD (condition version and audit seq as expected), Put deployment
   * record, Put audit event, plus `guards`. A lost race is ConvoyError `conflict` with context
   * `{ head }` (the current HEAD).
   */
  commit(change: EnvironmentChange): Promise<{ head: Head; deployment: DeploymentRecord; event: AuditEvent }>;
  getDeployment(environment: string, id: string): Promise<DeploymentRecord | undefined>;
  /** Newest first. */
  listDeployments(environment: string, limit?: number): Promise<DeploymentRecord[]>;
  /** Finds the deployment committed with this idempotency key, if any. */
  findByIdempotencyKey(environment: string, key: string): Promise<DeploymentRecord | undefined>;
  listServices(environment: string): Promise<ServiceVersion[]>;
  /** Upsert a service version and audit it on the environment chain, in one transaction. */
  reportService(environment: string, service: string, version: string, actor: Actor): Promise<ServiceVersion>;
}

export interface AuditQuery {
  chain?: string;
  from?: string;
  to?: string;
  limit?: number;
}

export interface AuditStore {
  /** Oldest first. */
  listEvents(query: AuditQuery): Promise<AuditEvent[]>;
  /** Every chain with its recorded head position (environments and `_global`). */
  listChains(): Promise<{ chain: string; head: ChainPosition }[]>;
  /** Append to a non-environment chain (catalog, bundle pushes) with its own conditional head. */
  append(chain: string, draft: AuditDraft): Promise<AuditEvent>;
}

export interface ConvoyStore {
  catalogs: CatalogStore;
  bundles: BundleStore;
  snapshots: SnapshotStore;
  environments: EnvironmentStore;
  audit: AuditStore;
}
