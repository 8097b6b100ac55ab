import { chainStart, type AuditEvent, type ChainPosition } from '#domain/audit/event.ts';
import { isJsonObject, type JsonObject } from '#domain/core/json.ts';
import type { DeploymentRecord, Head } from '#domain/environments/head.ts';
import { itemTypes, keys } from './keys.ts';
import { internal } from './sdk-errors.ts';
import type { Item } from './table-client.ts';

/** Item <-> domain codecs. Items are written only here and by the writers that call these. */

const malformed = (item: Item, attribute: string): Error =>
  internal(new Error(`item ${String(item.pk)}/${String(item.sk)} has no valid ${attribute}`));

export const str = (item: Item, attribute: string): string => {
  const value = item[attribute];
  if (typeof value !== 'string') throw malformed(item, attribute);
  return value;
};

export const optStr = (item: Item, attribute: string): string | undefined =>
  item[attribute] === undefined ? undefined : str(item, attribute);

export const num = (item: Item, attribute: string): number => {
  const value = item[attribute];
  if (typeof value !== 'number') throw malformed(item, attribute);
  return value;
};

/** The audit position an env HEAD or chain head records (chainStart before the first event). */
export const positionOf = (item: Item | undefined): ChainPosition =>
  item?.auditSeq === undefined ? chainStart : { seq: num(item, 'auditSeq'), hash: str(item, 'auditHash') };

// ---- environment HEADs ----------------------------------------------------------------------------------

/** A new environment's HEAD item (version 0 on the empty snapshot). */
export const newHeadItem = (environment: string, snapshot: string): Item => ({
  ...keys.envHead(environment),
  ...keys.envHeadIndex(environment),
  type: itemTypes.envHead,
  environment,
  version: 0,
  snapshot,
  auditSeq: chainStart.seq,
  auditHash: chainStart.hash,
});

export const headFromItem = (item: Item): Head => {
  const deploymentId = optStr(item, 'deploymentId');
  const updatedAt = optStr(item, 'updatedAt');
  return {
    environment: str(item, 'environment'),
    version: num(item, 'version'),
    snapshot: str(item, 'snapshot'),
    ...(deploymentId === undefined ? {} : { deploymentId }),
    ...(updatedAt === undefined ? {} : { updatedAt }),
    audit: positionOf(item),
  };
};

// ---- audit events ---------------------------------------------------------------------------------------

/**
 * The item type tag is `type: 'audit'` (the audit Pipe filters on it), so the event's own type is stored
 * as `eventType`. `detail` is stored as its JSON text: it round-trips exactly (the hash depends on it)
 * whatever numbers or nesting it holds.
 */
export const auditEventItem = (event: AuditEvent): Item => ({
  ...keys.auditEvent(event.chain, event.seq),
  ...keys.auditByTime(event.at, event.chain, event.seq),
  type: itemTypes.audit,
  chain: event.chain,
  seq: event.seq,
  prevHash: event.prevHash,
  hash: event.hash,
  eventType: event.type,
  at: event.at,
  actor: event.actor,
  subject: event.subject,
  detail: JSON.stringify(event.detail),
});

const parseDetail = (raw: unknown): JsonObject => {
  if (isJsonObject(raw)) return raw;
  if (typeof raw !== 'string') return { unreadable: String(raw) };
  try {
    const parsed: unknown = JSON.parse(raw);
    return isJsonObject(parsed) ? parsed : { unreadable: raw };
  } catch {
    return { unreadable: raw };
  }
};

/**
 * Lenient on purpose: an edited or damaged item still becomes an event, whose hash then fails to verify,
 * so `audit verify` can name it instead of failing as a whole.
 */
export const auditEventFromItem = (item: Item): AuditEvent => {
  const text = (attribute: string): string => {
    const value = item[attribute];
    return typeof value === 'string' ? value : '';
  };
  return {
    chain: text('chain'),
    seq: typeof item.seq === 'number' ? item.seq : Number.NaN,
    prevHash: text('prevHash'),
    hash: text('hash'),
    type: text('eventType'),
    at: text('at'),
    actor: text('actor'),
    subject: text('subject'),
    detail: parseDetail(item.detail),
  };
};

// ---- deployments ----------------------------------------------------------------------------------------

/** The record's fields are top-level attributes (so a sink status can be updated in place). */
export const deploymentItem = (record: DeploymentRecord, auditSeq: number): Item => ({
  ...keys.deployment(record.environment, record.headVersion),
  type: itemTypes.deployment,
  ...record,
  auditSeq,
});

export const deploymentFromItem = (item: Item): { record: DeploymentRecord; auditSeq: number } => {
  const { pk: _pk, sk: _sk, type: _type, auditSeq, ...record } = item;
  if (typeof auditSeq !== 'number' || typeof record.id !== 'string') throw malformed(item, 'deployment');
  return { record: record as unknown as DeploymentRecord, auditSeq };
};

/** The HEAD a committed deployment produced. */
export const headAfter = (record: DeploymentRecord, event: AuditEvent): Head => ({
  environment: record.environment,
  version: record.headVersion,
  snapshot: record.snapshot,
  deploymentId: record.id,
  updatedAt: record.at,
  audit: { seq: event.seq, hash: event.hash },
});
