/**
 * Every key Convoy writes is built here. `#` separates key parts; names that reach these builders have
 * already been validated (lib/domain/core/names.ts) and cannot contain it.
 */
const pad = (n: number, width = 12): string => String(n).padStart(width, '0');
const bundlePartition = (name: string): string => `BUNDLE#${name}`;
const releasePartition = (release: string): string => `RELEASE#${release}`;
const envPartition = (env: string): string => `ENV#${env}`;
const auditPartition = (chain: string): string => `AUDIT#${chain}`;
const blobPartition = (hash: string): string => `BLOB#${hash}`;

export const GLOBAL_CHAIN = '_global';
/** The audit chain of freeze windows, activations, rejected changes and overrides. */
export const FREEZE_CHAIN = '_freeze';
/** The audit chain of rollout starts, operator actions and execution ends (phases audit on their environments). */
export const ROLLOUT_CHAIN = '_rollout';
/** The audit chain of release manifests, sign-offs and approvals (deploys audit on their environments). */
export const RELEASE_CHAIN = '_release';

/** Item type tags, stored in the `type` attribute (the audit Pipe filters on `audit`). */
export const itemTypes = {
  catalogHead: 'catalog-head',
  blobManifest: 'blob-manifest',
  blobChunk: 'blob-chunk',
  bundle: 'bundle',
  /** The listing entry of a bundle in the `BUNDLES` partition (lists every bundle without a Scan). */
  bundleEntry: 'bundle-entry',
  /** Which team a bundle name belongs to (the team that first pushed it). */
  bundleOwner: 'bundle-owner',
  envHead: 'env-head',
  chainHead: 'chain-head',
  deployment: 'deployment',
  service: 'service',
  audit: 'audit',
  idempotency: 'idempotency',
  freezeWindow: 'freeze-window',
  freezeGuard: 'freeze-guard',
  /** How many identical refusals one `ChangeRejected` event stands for (lib/store/rejection-repeats.ts). */
  rejectionCount: 'rejection-count',
  override: 'override',
  rolloutHead: 'rollout-head',
  rolloutEvent: 'rollout-event',
  releaseManifest: 'release-manifest',
  releaseSignoff: 'release-signoff',
  /** Evaluation telemetry: one count of (flag, variant, reason) in one environment and UTC hour. */
  flagMetric: 'flag-metric',
  /** A provider's metrics batch (one part of it) already counted, by its Idempotency-Key (24 h). */
  flagMetricsBatch: 'flag-metrics-batch',
} as const;

export const keys = {
  catalogHead: () => ({ pk: 'CATALOG', sk: 'HEAD' }),

  /** Content-addressed, chunked blobs (snapshots, catalogs, bundle documents). */
  blobPartition,
  blobManifest: (hash: string) => ({ pk: blobPartition(hash), sk: 'MANIFEST' }),
  blobChunk: (hash: string, index: number) => ({ pk: blobPartition(hash), sk: `CHUNK#${pad(index, 6)}` }),
  blobChunkPrefix: 'CHUNK#',

  bundle: (name: string, version: string) => ({ pk: bundlePartition(name), sk: `V#${version}` }),
  bundlePartition,
  /** Outside the name's own partition, so a Query of its versions never meets it. */
  bundleOwner: (name: string) => ({ pk: `BUNDLE-NAME#${name}`, sk: 'OWNER' }),
  bundleListPartition: 'BUNDLES',
  bundleListEntry: (name: string, version: string) => ({ pk: 'BUNDLES', sk: `${name}@${version}` }),
  bundleByRelease: (release: string, name: string, version: string) => ({
    gsi1pk: releasePartition(release),
    gsi1sk: `${name}@${version}`,
  }),
  releasePartition,

  envPartition,
  envHead: (env: string) => ({ pk: envPartition(env), sk: 'HEAD' }),
  /** Every head (environment HEADs and audit chain heads) is listed under one gsi1 partition: no Scan. */
  headIndexPartition: 'HEADS',
  envHeadIndex: (env: string) => ({ gsi1pk: 'HEADS', gsi1sk: `ENV#${env}` }),
  envHeadIndexPrefix: 'ENV#',
  chainHeadIndex: (chain: string) => ({ gsi1pk: 'HEADS', gsi1sk: `CHAIN#${chain}` }),
  /** Head of an audit chain that is not an environment (catalog, bundles). */
  chainHead: (chain: string) => ({ pk: `CHAIN#${chain}`, sk: 'HEAD' }),
  deployment: (env: string, headVersion: number) => ({
    pk: envPartition(env),
    sk: `DEPLOY#${pad(headVersion)}`,
  }),
  deploymentPrefix: 'DEPLOY#',
  service: (env: string, service: string) => ({ pk: envPartition(env), sk: `SERVICE#${service}` }),
  servicePrefix: 'SERVICE#',

  auditPartition,
  auditEvent: (chain: string, seq: number) => ({ pk: auditPartition(chain), sk: `SEQ#${pad(seq)}` }),
  auditPrefix: 'SEQ#',
  /** All audit events by time, across chains. */
  auditByTime: (at: string, chain: string, seq: number) => ({
    gsi1pk: 'AUDIT',
    gsi1sk: `${at}#${chain}#${pad(seq)}`,
  }),
  auditByTimePartition: 'AUDIT',

  idempotency: (scope: string, key: string) => ({ pk: `IDEMPOTENCY#${scope}`, sk: `KEY#${key}` }),

  /** Freeze windows, all in one partition (a calendar is small): listed with one Query. */
  freezeWindowPartition: 'FREEZE',
  freezeWindow: (id: string) => ({ pk: 'FREEZE', sk: `WINDOW#${id}` }),
  freezeWindowPrefix: 'WINDOW#',
  /** The per-environment freeze guard: its version is ConditionChecked by every environment change. */
  freezeGuard: (env: string) => ({ pk: envPartition(env), sk: 'FREEZE-GUARD' }),

  /** The count of one refusal (its fingerprint) in one minute (`yyyy-mm-ddThh:mm`, UTC). */
  rejectionCount: (fingerprint: string, minute: string) => ({
    pk: `REJECTED#${fingerprint}`,
    sk: `MINUTE#${minute}`,
  }),

  override: (id: string) => ({ pk: `OVERRIDE#${id}`, sk: 'OVERRIDE' }),
  /** Overrides by request time, newest first, on gsi1. */
  overrideIndexPartition: 'OVERRIDES',
  overrideIndex: (requestedAt: string, id: string) => ({
    gsi1pk: 'OVERRIDES',
    gsi1sk: `${requestedAt}#${id}`,
  }),

  /** A rollout's event stream: one partition, a head (last seq, summary) and one item per event. */
  rolloutPartition: (id: string) => `ROLLOUT#${id}`,
  rolloutHead: (id: string) => ({ pk: `ROLLOUT#${id}`, sk: 'HEAD' }),
  rolloutEvent: (id: string, seq: number) => ({ pk: `ROLLOUT#${id}`, sk: `EVENT#${pad(seq)}` }),
  rolloutEventPrefix: 'EVENT#',
  /** Rollouts by start time, newest first, on gsi1. */
  rolloutIndexPartition: 'ROLLOUTS',
  rolloutIndex: (startedAt: string, id: string) => ({ gsi1pk: 'ROLLOUTS', gsi1sk: `${startedAt}#${id}` }),

  /** Release manifests, all in one partition (listed with one Query). */
  releaseManifestPartition: 'RELEASES',
  releaseManifest: (name: string) => ({ pk: 'RELEASES', sk: `MANIFEST#${name}` }),
  releaseManifestPrefix: 'MANIFEST#',
  /** Sign-offs and approvals of one release: one item each, never overwritten. */
  releaseSignoffPartition: (release: string) => `RELEASE-SIGNOFFS#${release}`,
  releaseSignoff: (release: string, at: string, who: string) => ({
    pk: `RELEASE-SIGNOFFS#${release}`,
    sk: `SIGNOFF#${at}#${who}`,
  }),
  releaseSignoffPrefix: 'SIGNOFF#',
  /**
   * Flag evaluation counts of an environment, one item per (UTC hour `yyyy-mm-ddThh`, flag, variant,
   * reason): a period is one Query on the hour prefix. The variant is URI-encoded (it may hold `#`),
   * empty for no variant (an evaluation error; variant names are never empty).
   */
  flagMetricsPartition: (env: string) => `FLAG-METRICS#${env}`,
  flagMetric: (env: string, hour: string, flag: string, variant: string | undefined, reason: string) => ({
    pk: `FLAG-METRICS#${env}`,
    sk: `HOUR#${hour}#${flag}#${variant === undefined ? '' : encodeURIComponent(variant)}#${reason}`,
  }),
  flagMetricHour: (hour: string) => `HOUR#${hour}`,
  /**
   * A metrics batch counted under its Idempotency-Key, one item per part of the batch (a part is one
   * transaction): outside the counters' partition, so reading counts never meets them.
   */
  flagMetricsBatch: (env: string, key: string, part: number) => ({
    pk: `FLAG-METRICS-BATCH#${env}`,
    sk: `KEY#${key}#${pad(part, 3)}`,
  }),
} as const;
