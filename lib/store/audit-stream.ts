import { itemTypes } from './keys.ts';

/**
 * The audit outbox leaves the table as stream records. This is the one definition of which records
 * are audit events and how they are stamped, shared by the CDK Pipe (lib/infra) and the embedded relay
 * (lib/local): INSERTs of audit items only — never HEAD flips, snapshots or later edits.
 */
export const auditStreamFilterPattern = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { type: { S: [itemTypes.audit] } } },
};

export const AUDIT_BUS_NAME = 'convoy-audit';
export const auditEventSource = 'convoy.audit';
export const auditDetailType = 'Convoy Audit Event';
