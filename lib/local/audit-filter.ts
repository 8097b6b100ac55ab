import { itemTypes } from '../store/keys.ts';

/**
 * The stream filter of the audit outbox: INSERTs of audit items (never HEAD flips, snapshots or later
 * edits). It is the same EventBridge pattern as the CDK Pipe's (lib/infra/audit-pipe.ts), and the
 * embedded relay evaluates it with `matchesPattern`, so both filter by one rule.
 */
export const auditStreamFilterPattern = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { type: { S: [itemTypes.audit] } } },
};

/** What the local bus stamps on events, as the Pipe does on AWS. */
export const auditEventSource = 'convoy.audit';
export const auditDetailType = 'Convoy Audit Event';

type Pattern = { [field: string]: readonly unknown[] | Pattern };

/** The subset of EventBridge patterns the filter uses: nested fields, each with a list of allowed values. */
export const matchesPattern = (pattern: Pattern, value: unknown): boolean => {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return Object.entries(pattern).every(([field, rule]) =>
    Array.isArray(rule) ? rule.includes(record[field]) : matchesPattern(rule as Pattern, record[field]),
  );
};

export const isAuditInsert = (record: unknown): boolean => matchesPattern(auditStreamFilterPattern, record);
