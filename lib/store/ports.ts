import type { StoredChain } from '#domain/audit/trail.ts';
import type { AuditDraft, AuditEvent, ChainPosition } from '#domain/audit/event.ts';
import type { BundleSummary, SealedBundle } from '#domain/bundles/bundle.ts';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import type { EvaluationCount } from '#domain/flags/evaluation-counts.ts';
import type { DeploymentRecord, Head } from '#domain/environments/head.ts';
import type { SinkName, SinkStatus } from '#domain/environments/sink-status.ts';
import type { ChangeKind, FreezeLevel } from '#domain/freeze/change-kind.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import type { Override, OverrideStatus } from '#domain/overrides/override.ts';
import type { EventOf, RolloutBundle, RolloutEvent } from '#domain/rollout/events.ts';
import type { ReleaseManifest } from '#domain/releases/manifest.ts';
import type { Approval, Signoff } from '#domain/releases/signoff.ts';

/**
 * A condition the commit carries into its one transaction (the adapter builds the items): the
 * environment's freeze guard is still at the version the gate read; an approved override is consumed
 * by this change (with its OverrideUsed event on `_freeze`).
 */
export type CommitGuard =
  | { kind: 'freeze-guard'; environment: string; seenVersion: number }
  | { kind: 'override-use'; override: Override; use: OverrideUseRecord };

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

/** What else a service report records, computed against the HEAD it commits on. */
export type ServiceReportEffects = (read: { head: Head; previousVersion?: string }) => Promise<AuditDraft[]>;

/** An environment change ready to commit: the HEAD flip, its record and its audit event. */
export interface EnvironmentChange {
  environment: string;
  /** The HEAD this change was computed against; the flip is conditional on it. */
  expected: Head;
  /** The full record; its headVersion must be expected.version + 1 and its snapshot the next HEAD. */
  deployment: DeploymentRecord;
  audit: AuditDraft;
  /**
   * Becomes the transaction's ClientRequestToken and an idempotency item written in the same
   * transaction, so a retry returns the original deployment even after DynamoDB's 10-minute token window.
   */
  idempotencyKey?: string;
  /**
   * Fingerprint of the request the idempotency key came with (requestFingerprint: route, canonical body,
   * principal): a key reused with another fingerprint within 24 hours is `idempotency.mismatch`.
   * Default: defaultRequestHash (the deployment's kind, bundle and principal).
   */
  requestHash?: string;
  /**
   * Built into the same TransactWriteItems after the store's own items (freeze guard ConditionCheck;
   * override Update with its OverrideUsed event, not expired at `use.at`, unused unless reusable). When
   * one fails its condition, commit throws ConvoyError `conflict` with `context.failedGuards`: the indexes
   * into this array.
   */
  guards?: CommitGuard[];
}

export interface CommitResult {
  head: Head;
  deployment: DeploymentRecord;
  event: AuditEvent;
}

export interface EnvironmentStore {
  getHead(environment: string): Promise<Head | undefined>;
  listHeads(): Promise<Head[]>;
  /**
   * One TransactWriteItems: Update HEAD (condition version and audit seq as expected), Put deployment
   * record, Put audit event, Put idempotency item (with a key), plus `guards`. A lost race is ConvoyError
   * `conflict` with context `{ head }` (the current HEAD). With an idempotency key already used for the
   * same request, the original result is returned and nothing is written.
   */
  commit(change: EnvironmentChange): Promise<CommitResult>;
  getDeployment(environment: string, id: string): Promise<DeploymentRecord | undefined>;
  /** Newest first. */
  listDeployments(environment: string, limit?: number): Promise<DeploymentRecord[]>;
  /** Finds the deployment committed with this idempotency key, if any. */
  findByIdempotencyKey(environment: string, key: string): Promise<DeploymentRecord | undefined>;
  /**
   * The original result of the request this idempotency key was used for within the 24 hours before
   * `at`, when it is the same request (`requestHash`); `idempotency.mismatch` when it was another one;
   * undefined when the key is new or expired.
   */
  replay(
    environment: string,
    key: string,
    request: { requestHash: string; at: string },
  ): Promise<CommitResult | undefined>;
  listServices(environment: string): Promise<ServiceVersion[]>;
  /**
   * Upsert a service version and audit it on the environment chain, in one transaction. `effects`,
   * given the HEAD and previous version an attempt read, returns further audit drafts to append in the
   * same transaction (e.g. the flags whose requirements the report switches on or off).
   */
  reportService(
    environment: string,
    service: string,
    version: string,
    actor: Actor,
    effects?: ServiceReportEffects,
  ): Promise<ServiceVersion>;
  /**
   * Record a sink's status on a deployment record in place (conditional UpdateItem). The record must
   * exist (`not-found`). A status is refused, not thrown, when it would move the stored status of the
   * same deploymentNumber backwards (statesNotReplaceableBy): then `current` is what is stored.
   */
  setSinkStatus(
    environment: string,
    deploymentId: string,
    sink: SinkName,
    status: SinkStatus,
  ): Promise<SinkStatusWrite>;
}

export type SinkStatusWrite =
  | { recorded: true; status: SinkStatus }
  | { recorded: false; reason: 'outcome-recorded'; current: SinkStatus };

export interface AuditQuery {
  /** One chain (an environment or `_global`), in sequence order; otherwise every chain, by time. */
  chain?: string;
  /** ISO 8601 instants, inclusive. */
  from?: string;
  to?: string;
  limit?: number;
  /** Continue after the last event of a previous page (its `next`). */
  after?: string;
}

/**
 * An event as the audit log lists it: a `ChangeRejected` event standing for repeated identical
 * refusals carries `count` (lib/store/rejection-repeats.ts). `count` is not part of the hashed event.
 */
export type ListedAuditEvent = AuditEvent & { count?: number };

export interface AuditPage {
  events: ListedAuditEvent[];
  /** Present when more events may follow: pass it as `after`. */
  next?: string;
}

export interface AuditStore {
  /** Oldest first; up to `limit` (every matching event without a limit). */
  listEvents(query: AuditQuery): Promise<ListedAuditEvent[]>;
  /** Like listEvents, with a cursor to the next page. */
  pageEvents(query: AuditQuery): Promise<AuditPage>;
  /** Every chain with its recorded head position (environments and `_global`). */
  listChains(): Promise<{ chain: string; head: ChainPosition }[]>;
  /**
   * Append to a non-environment chain (catalog, bundle pushes) with its own conditional head; lost races
   * are retried. Chain names start with `_` (environment names cannot), e.g. GLOBAL_CHAIN.
   */
  append(chain: string, draft: AuditDraft): Promise<AuditEvent>;
  /** Every chain as the table itself holds it (a Scan: no index trusted), for `audit verify`. */
  readTrail(): Promise<StoredChain[]>;
  /** Open chains the registry does not know yet (tables written before it existed); audited. */
  registerChains(chains: readonly string[], actor: Actor): Promise<void>;
}

/** An environment's freeze guard: bumped whenever the calendar or the environment's active windows change. */
export interface FreezeGuard {
  environment: string;
  /** 0 before the first bump (no guard item yet). */
  version: number;
  /** Ids of the windows in force at the last activation, sorted. */
  active: string[];
  level: FreezeLevel | null;
  updatedAt?: string;
}

export interface FreezeActivation {
  changed: boolean;
  started: string[];
  ended: string[];
  guard: FreezeGuard;
}

/** A change refused because of a freeze (recorded for the compliance report). */
export interface ChangeRejection {
  at: string;
  environment: string;
  kind: ChangeKind;
  principal: string;
  bundle?: string;
  overrideId?: string;
  /** Ids of the windows that froze the change. */
  windows: string[];
  /** A stable code: `freeze.frozen` or the override refusal (`override.used`, ...). */
  code: string;
  reason: string;
}

export interface FreezeStore {
  listWindows(): Promise<FreezeWindow[]>;
  getWindow(id: string): Promise<FreezeWindow | undefined>;
  /**
   * Create or replace windows. Unchanged windows are not written (`changed: false`). Each transaction
   * (up to 25 windows) writes the windows, one `FreezeWindowAdded` event per window on the `_freeze`
   * chain, and bumps the freeze guard of every environment. A window changed concurrently is a `conflict`.
   */
  putWindows(
    windows: readonly FreezeWindow[],
    actor: Actor,
  ): Promise<{ id: string; created: boolean; changed: boolean }[]>;
  /** Remove a window (`not-found` if absent), with `FreezeWindowRemoved` and a bump of every guard. */
  removeWindow(id: string, actor: Actor): Promise<FreezeWindow>;
  getGuard(environment: string): Promise<FreezeGuard>;
  /**
   * Record the windows in force for an environment. When the active set or level differs from the
   * guard's: bump the guard (conditional on the version read) with `FreezeStarted` / `FreezeEnded`
   * events on `_freeze`, in one transaction; lost races are re-read and retried.
   */
  activate(
    environment: string,
    next: { active: readonly string[]; level: FreezeLevel | null },
    actor: Actor,
  ): Promise<FreezeActivation>;
  /**
   * Append `ChangeRejected` to the `_freeze` chain; the same refusal again within its minute is counted
   * on that event's counter instead (lib/store/rejection-repeats.ts).
   */
  recordRejection(rejection: ChangeRejection): Promise<void>;
}

export interface StoredOverride {
  override: Override;
  /** Bumped by every write; updates are conditional on it. */
  revision: number;
  /** The `.waitForTaskToken` token of the approval workflow's current wait, if any. */
  taskToken?: string;
}

export interface OverrideUseRecord {
  at: string;
  principal: string;
  deploymentId: string;
}

export interface OverrideStore {
  /** Create a pending override with `OverrideRequested` on `_freeze`; an existing id is a `conflict`. */
  create(override: Override, actor: Actor): Promise<StoredOverride>;
  get(id: string): Promise<StoredOverride | undefined>;
  /** Newest first. */
  list(filter?: { status?: OverrideStatus; environment?: string }): Promise<StoredOverride[]>;
  /**
   * Replace the override (a decision, an expiry) with its audit event on `_freeze`, conditional on
   * `expectedRevision`; a lost race is a `conflict`.
   */
  update(next: Override, expectedRevision: number, audit: AuditDraft): Promise<StoredOverride>;
  /** Remember the workflow's current task token (conditional on the override existing). */
  setTaskToken(id: string, token: string): Promise<StoredOverride>;
}

export interface RolloutSummary {
  rolloutId: string;
  bundle: RolloutBundle;
  strategy: string;
  startedAt: string;
  startedBy: string;
  /** The seq of the newest stored event. */
  lastSeq: number;
  /** The token of the workflow's current wait (pause, approval), if any. */
  taskToken?: string;
}

export interface RolloutStore {
  /**
   * Store a new rollout's first event (seq 0) with its `audit` event on `_rollout`, in one transaction.
   * An existing id is a `conflict`, unless the very same event was stored already (a retried create):
   * then nothing is written.
   */
  create(started: EventOf<'RolloutStarted'>, audit: AuditDraft): Promise<RolloutSummary>;
  /**
   * Append events whose seqs follow the stored last seq without a gap, in one transaction conditional
   * on that last seq: of concurrent writers of one seq exactly one wins, the others get a `conflict`
   * (context `{ lastSeq }`). A retried append of events already stored with the same content is a no-op.
   * The stream is capped at 99 events per call (DynamoDB's transaction limit). With `audit` (an
   * operator's action, an execution's end), that event goes on `_rollout` in the same transaction.
   */
  append(
    rolloutId: string,
    events: readonly RolloutEvent[],
    audit?: AuditDraft,
  ): Promise<{ lastSeq: number }>;
  /** Every event of the rollout, in seq order; `not-found` when the rollout does not exist. */
  events(rolloutId: string): Promise<RolloutEvent[]>;
  get(rolloutId: string): Promise<RolloutSummary | undefined>;
  /** Newest first. */
  list(limit?: number): Promise<RolloutSummary[]>;
  /** Remember the workflow's current `.waitForTaskToken` token (resume, approval); `not-found` if absent. */
  setTaskToken(rolloutId: string, token: string): Promise<void>;
}

export interface StoredManifest {
  manifest: ReleaseManifest;
  hash: string;
  definedAt: string;
  definedBy: string;
}

/** A team's sign-off or, without a team, a release manager's approval. */
export type ReleaseSignoffRecord = Signoff | Approval;

export interface ReleaseStore {
  /** Define (or redefine) a release; `changed` false when put again exactly as stored (nothing written). */
  putManifest(manifest: ReleaseManifest, actor: Actor): Promise<{ created: boolean; changed: boolean }>;
  getManifest(name: string): Promise<StoredManifest | undefined>;
  listManifests(): Promise<StoredManifest[]>;
  /** Record a sign-off (with `team`) or an approval (without), audited in the same transaction. */
  addSignoff(record: ReleaseSignoffRecord): Promise<void>;
  listSignoffs(release: string): Promise<{ signoffs: Signoff[]; approvals: Approval[] }>;
}

/** One stored evaluation count, with the UTC hour (`yyyy-mm-ddThh`) it was counted in. */
export type HourlyEvaluationCount = EvaluationCount & { hour: string };

/** The Idempotency-Key of a metrics batch, what the request was (fingerprint) and when it came. */
export interface FlagMetricsBatchKey {
  key: string;
  requestHash: string;
  at: string;
}

/** Flag evaluation telemetry, in hourly buckets per environment (lib/store/dynamodb-flag-metrics-store.ts). */
export interface FlagMetricsStore {
  /**
   * Add counts to the hour's counters (atomic: concurrent batches sum); `expiresAt` in epoch seconds.
   * With `batch`, the batch's key is written in the same transaction as the counts it adds, on the
   * condition that it is absent: a batch sent again (also concurrently) within 24 hours adds nothing,
   * and another request with that key is `idempotency.mismatch`.
   */
  record(
    environment: string,
    hour: string,
    counts: readonly EvaluationCount[],
    expiresAt: number,
    batch?: FlagMetricsBatchKey,
  ): Promise<void>;
  /** Every count of the hours `fromHour` to `toHour` inclusive. */
  list(environment: string, fromHour: string, toHour: string): Promise<HourlyEvaluationCount[]>;
}

export interface ConvoyStore {
  catalogs: CatalogStore;
  bundles: BundleStore;
  snapshots: SnapshotStore;
  environments: EnvironmentStore;
  audit: AuditStore;
  freezes: FreezeStore;
  overrides: OverrideStore;
  rollouts: RolloutStore;
  releases: ReleaseStore;
  flagMetrics: FlagMetricsStore;
}
