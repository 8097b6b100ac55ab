/**
 * Every key Convoy writes is built here. `#` separates key parts; names that reach these builders have
 * already been validated (lib/domain/core/names.ts) and cannot contain it.
 */
const pad = (n: number, width = 12): string => String(n).padStart(width, '0');

export const GLOBAL_CHAIN = '_global';

/** Item type tags, stored in the `type` attribute (the audit Pipe filters on `audit`). */
export const itemTypes = {
  catalogHead: 'catalog-head',
  blobManifest: 'blob-manifest',
  blobChunk: 'blob-chunk',
  bundle: 'bundle',
  envHead: 'env-head',
  chainHead: 'chain-head',
  deployment: 'deployment',
  service: 'service',
  audit: 'audit',
  idempotency: 'idempotency',
} as const;

export const keys = {
  catalogHead: () => ({ pk: 'CATALOG', sk: 'HEAD' }),

  /** Content-addressed, chunked blobs (snapshots, catalogs, bundle documents). */
  blobManifest: (hash: string) => ({ pk: `BLOB#${hash}`, sk: 'MANIFEST' }),
  blobChunk: (hash: string, index: number) => ({ pk: `BLOB#${hash}`, sk: `CHUNK#${pad(index, 6)}` }),
  blobChunkPrefix: 'CHUNK#',

  bundle: (name: string, version: string) => ({ pk: `BUNDLE#${name}`, sk: `V#${version}` }),
  bundleListPartition: 'BUNDLES',
  bundleByRelease: (release: string, name: string, version: string) => ({
    gsi1pk: `RELEASE#${release}`,
    gsi1sk: `${name}@${version}`,
  }),

  envHead: (env: string) => ({ pk: `ENV#${env}`, sk: 'HEAD' }),
  /** Head of an audit chain that is not an environment (catalog, bundles). */
  chainHead: (chain: string) => ({ pk: `CHAIN#${chain}`, sk: 'HEAD' }),
  deployment: (env: string, headVersion: number) => ({ pk: `ENV#${env}`, sk: `DEPLOY#${pad(headVersion)}` }),
  deploymentPrefix: 'DEPLOY#',
  service: (env: string, service: string) => ({ pk: `ENV#${env}`, sk: `SERVICE#${service}` }),
  servicePrefix: 'SERVICE#',

  auditEvent: (chain: string, seq: number) => ({ pk: `AUDIT#${chain}`, sk: `SEQ#${pad(seq)}` }),
  auditPrefix: 'SEQ#',
  /** All audit events by time, across chains. */
  auditByTime: (at: string, chain: string, seq: number) => ({ gsi1pk: 'AUDIT', gsi1sk: `${at}#${chain}#${pad(seq)}` }),

  idempotency: (scope: string, key: string) => ({ pk: `IDEMPOTENCY#${scope}`, sk: `KEY#${key}` }),
} as const;
