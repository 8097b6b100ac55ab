import { ConvoyError } from '#domain/core/errors.ts';
import { contentHash } from '#domain/core/json.ts';
import { problem } from '#domain/core/problem.ts';
import { parseDeploymentId, type DeploymentRecord } from '#domain/environments/head.ts';
import { expr, type Expression } from './expressions.ts';
import { auditEventFromItem, deploymentFromItem, headAfter, str } from './items.ts';
import { itemTypes, keys } from './keys.ts';
import type { CommitResult } from './ports.ts';
import { internal } from './sdk-errors.ts';
import { backoff, type Item, type TableClient } from './table-client.ts';

/**
 * Idempotent commits. DynamoDB remembers a ClientRequestToken for 10 minutes only; the idempotency item
 * written in the commit transaction remembers the key for 24 hours, with the deployment it produced and
 * a fingerprint of the request (route, canonical body, principal). Within those 24 hours the same
 * request is answered with the original result, and another request with the key is refused
 * (`idempotency.mismatch`, Stripe's rule); after them the key is new. The item carries the table's TTL
 * attribute so DynamoDB removes it in time; expiry never depends on that removal.
 */

const REPLAY_LOOKUPS = 6;
/** How long a key is bound to its request. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** What a request was: the route (deploy, rollback, rollout phase), its canonical body, its principal. */
export interface RequestFingerprint {
  route: string;
  body: Record<string, string | undefined>;
  principal: string;
}

/** The fingerprint stored with a key: a hash of canonical JSON (undefined body members are left out). */
export const requestFingerprint = (request: RequestFingerprint): string => contentHash(request);

/** The fingerprint when a caller gives none: the deployment's kind, bundle and principal. */
export const defaultRequestHash = (deployment: DeploymentRecord): string =>
  requestFingerprint({
    route: deployment.kind,
    body: {
      bundle: deployment.bundle && `${deployment.bundle.name}@${deployment.bundle.version}`,
      to: deployment.rolledBackTo,
    },
    principal: deployment.principal,
  });

/** Keys written at or before this instant have expired at `at` (ISO strings compare in time order). */
const cutoff = (at: string): string => new Date(Date.parse(at) - IDEMPOTENCY_TTL_MS).toISOString();

/** The idempotency item of a commit (Put with `putCondition` in the same transaction). */
export const idempotencyItem = (
  environment: string,
  key: string,
  deployment: DeploymentRecord,
  requestHash: string,
): Item => ({
  ...keys.idempotency(environment, key),
  type: itemTypes.idempotency,
  environment,
  idempotencyKey: key,
  deploymentId: deployment.id,
  requestHash,
  createdAt: deployment.at,
  // The table's TTL attribute (epoch seconds): DynamoDB deletes the item some time after it expired.
  expiresAt: Math.ceil((Date.parse(deployment.at) + IDEMPOTENCY_TTL_MS) / 1000),
});

/** The key is free at `at`: never used, or used more than 24 hours before. */
export const idempotencyPutCondition = (at: string): Expression =>
  expr('attribute_not_exists(#pk) OR #createdAt <= :cutoff', { cutoff: cutoff(at) });

export const idempotencyMismatch = (key: string, original: string): ConvoyError =>
  new ConvoyError(
    'idempotency.mismatch',
    `Idempotency-Key ${key} was used for another request (another route, body or principal) within the ` +
      'last 24 hours; a key names one request. Send this request with a new key.',
    {
      context: { idempotencyKey: key, deploymentId: original },
      problems: [
        problem(
          'idempotency.mismatch',
          'was already used with a different route, body or principal in the last 24 hours',
          { path: 'header.idempotency-key' },
        ),
      ],
    },
  );

/** The result a committed deployment produced: its record, its audit event and the HEAD after it. */
export const readCommitted = async (
  table: TableClient,
  environment: string,
  id: string,
): Promise<CommitResult> => {
  const parsed = parseDeploymentId(id);
  const item = parsed && (await table.get(keys.deployment(environment, parsed.headVersion)));
  if (!item) throw internal(new Error(`deployment ${id} of ${environment} is missing`));
  const { record, auditSeq } = deploymentFromItem(item);
  const eventItem = await table.get(keys.auditEvent(environment, auditSeq));
  if (!eventItem) throw internal(new Error(`audit event ${auditSeq} of ${environment} is missing`));
  const event = auditEventFromItem(eventItem);
  return { head: headAfter(record, event), deployment: record, event };
};

/** What a key holds at `at`: nothing (never used), an expired use, or the original result. */
export type KeyLookup = 'absent' | 'expired' | CommitResult;

/**
 * The original result for an idempotency key at `at`; a different request within 24 hours is
 * `idempotency.mismatch`.
 */
export const lookupKey = async (
  table: TableClient,
  environment: string,
  key: string,
  request: { requestHash: string; at: string },
  known?: Item,
): Promise<KeyLookup> => {
  const entry = known ?? (await table.get(keys.idempotency(environment, key)));
  if (!entry) return 'absent';
  if (str(entry, 'createdAt') <= cutoff(request.at)) return 'expired';
  const id = str(entry, 'deploymentId');
  if (entry.requestHash !== request.requestHash) throw idempotencyMismatch(key, id);
  return readCommitted(table, environment, id);
};

/** `lookupKey`, undefined unless a result is there to replay. */
export const original = async (
  table: TableClient,
  environment: string,
  key: string,
  request: { requestHash: string; at: string },
  known?: Item,
): Promise<CommitResult | undefined> => {
  const found = await lookupKey(table, environment, key, request, known);
  return typeof found === 'string' ? undefined : found;
};

/**
 * The token is held by another attempt with this key: wait briefly for it to land and answer like it.
 * Undefined when nothing committed under the key (that attempt failed, or is still running) or the key
 * expired (a use more than 24 hours old whose token DynamoDB still remembers).
 */
export const awaitOriginal = async (
  table: TableClient,
  environment: string,
  key: string,
  request: { requestHash: string; at: string },
): Promise<CommitResult | undefined> => {
  for (let attempt = 1; attempt <= REPLAY_LOOKUPS; attempt += 1) {
    const found = await lookupKey(table, environment, key, request);
    if (found === 'expired') return undefined;
    if (found !== 'absent') return found;
    await backoff(attempt + 2);
  }
  return undefined;
};
