import type { Override, OverrideStatus } from './override.ts';
import { expireOverride } from './override-decision.ts';

/** The override expiry table: which reason may end which status, and when the override expired. */

/** Why the workflow expires an override: no decision in time, the time box ended, or it failed (closed). */
export const expiryReasons = ['decision-timeout', 'time-box-ended', 'workflow-failed'] as const;
export type ExpiryReason = (typeof expiryReasons)[number];

/** Statuses each reason may end: a decision-timeout never ends an approval that won the race. */
const expirable: Record<ExpiryReason, readonly OverrideStatus[]> = {
  'decision-timeout': ['pending'],
  'time-box-ended': ['approved'],
  'workflow-failed': ['pending', 'approved'],
};

/**
 * The override as the workflow ends it: past its deadline the domain expires it (expiredAt = the
 * deadline); before it (the workflow's clock won: a timeout, a scaled local wait, a failure) it
 * expires now. Undefined when there is nothing to expire.
 */
export const expiryOf = (
  override: Override,
  reason: ExpiryReason,
  now: Date,
): { override: Override; expiredAt: string } | undefined => {
  if (!expirable[reason].includes(override.status)) return undefined;
  const due = expireOverride(override, now.toISOString());
  // Unchanged (not past its deadline yet) means no expiredAt: it expires now.
  const expiredAt = due.expiredAt ?? now.toISOString();
  return { override: { ...override, status: 'expired', expiredAt }, expiredAt };
};
