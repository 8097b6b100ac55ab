import { ConvoyError } from '../domain/core/errors.ts';
import { contentHash } from '../domain/core/json.ts';
import { parseDeploymentId, type DeploymentRecord } from '../domain/environments/head.ts';
import { auditEventFromItem, deploymentFromItem, headAfter, str } from './items.ts';
import { itemTypes, keys } from './keys.ts';
import type { CommitResult } from './ports.ts';
import { internal } from './sdk-errors.ts';
import { backoff, type Item, type TableClient } from './table-client.ts';

/**
 * Idempotent commits. DynamoDB remembers a ClientRequestToken for 10 minutes only; the idempotency item
 * written in the commit transaction remembers the key for good, with the deployment it produced and a
 * fingerprint of the request, so a retry is answered with the original result at any time.
 */

const REPLAY_LOOKUPS = 6;

/** What identifies a request when no explicit fingerprint is given: a deploy of that bundle, or a rollback. */
export const defaultRequestHash = (deployment: DeploymentRecord): string =>
  contentHash({ kind: deployment.kind, bundle: deployment.bundle ?? null });

/** The idempotency item of a commit (Put with attribute_not_exists in the same transaction). */
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
});

const reused = (key: string, original: string): ConvoyError =>
  new ConvoyError('conflict', 'Idempotency-Key reused with a different request.', {
    context: { idempotencyKey: key, deploymentId: original },
  });

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

/** The original result for an idempotency key, if one was committed; a different request is a conflict. */
export const original = async (
  table: TableClient,
  environment: string,
  key: string,
  requestHash: string,
  known?: Item,
): Promise<CommitResult | undefined> => {
  const entry = known ?? (await table.get(keys.idempotency(environment, key)));
  if (!entry) return undefined;
  const id = str(entry, 'deploymentId');
  if (entry.requestHash !== requestHash) throw reused(key, id);
  return readCommitted(table, environment, id);
};

/**
 * The token is held by another attempt with this key: wait briefly for it to land and answer like it.
 * Undefined when nothing committed under the key (that attempt failed, or is still running).
 */
export const awaitOriginal = async (
  table: TableClient,
  environment: string,
  key: string,
  requestHash: string,
): Promise<CommitResult | undefined> => {
  for (let attempt = 1; attempt <= REPLAY_LOOKUPS; attempt += 1) {
    const result = await original(table, environment, key, requestHash);
    if (result) return result;
    await backoff(attempt + 2);
  }
  return undefined;
};
