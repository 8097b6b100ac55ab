import type { AuditEvent } from '../domain/audit/event.ts';
import { itemTypes } from '../store/keys.ts';

/**
 * The stream filter of the audit outbox: INSERTs of audit items. The CDK Pipe filters the table stream
 * with `auditStreamFilterPattern`; the embedded relay applies `isAuditInsert`, the same rule.
 */
export const auditStreamFilterPattern = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { type: { S: [itemTypes.audit] } } },
} as const;

/** The parts of a DynamoDB Streams record the filter reads. */
export interface StreamRecordLike {
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, { S?: string } | undefined> };
}

export const isAuditInsert = (record: StreamRecordLike): boolean =>
  record.eventName === 'INSERT' && record.dynamodb?.NewImage?.type?.S === itemTypes.audit;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The audit event an (unmarshalled) audit item carries. The item's `type` is the item tag, so the
 * event type lives in `eventType`; an item that nests the event under `event` is read the same way.
 */
export const auditEventFromItem = (item: Record<string, unknown>): AuditEvent | undefined => {
  const source = isRecord(item.event) ? item.event : item;
  const eventType = source.eventType ?? (source.type === itemTypes.audit ? undefined : source.type);
  const { chain, seq, prevHash, hash, at, actor, subject, detail } = source;
  if (
    typeof eventType !== 'string' ||
    typeof chain !== 'string' ||
    typeof seq !== 'number' ||
    typeof prevHash !== 'string' ||
    typeof hash !== 'string' ||
    typeof at !== 'string' ||
    typeof actor !== 'string' ||
    typeof subject !== 'string'
  ) {
    return undefined;
  }
  return {
    type: eventType,
    chain,
    seq,
    prevHash,
    hash,
    at,
    actor,
    subject,
    detail: isRecord(detail) ? (detail as AuditEvent['detail']) : {},
  };
};
