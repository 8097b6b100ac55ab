import { auditStreamFilterPattern } from '#store/audit-stream.ts';

export { auditDetailType, auditEventSource, auditStreamFilterPattern } from '#store/audit-stream.ts';

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
