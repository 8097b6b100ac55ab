import type { ComplianceChange, ComplianceInput } from '#domain/compliance/compliance.ts';
import { alwaysHeld } from '#domain/compliance/calendar-history.ts';
import { oneOff } from '../../freeze/support/windows.ts';
import { approved } from '../../overrides/support/override.ts';

/** A hard holiday freeze on prod-* that lets kill switches through. */
export const holidays = oneOff('holidays', '2026-12-20T00:00Z', '2027-01-05T00:00Z', {
  allow: ['flag-kill-switch'],
  scope: { environments: ['prod-*'] },
});
/** A soft freeze on the payments namespace for December. */
export const payments = oneOff('payments-soft', '2026-12-01T00:00Z', '2027-01-01T00:00Z', {
  level: 'soft',
  scope: { namespaces: ['payments'] },
});

/** A deploy to prod-eu by paula on Christmas Eve, 11:00 UTC. */
export const change = (extra: Partial<ComplianceChange>): ComplianceChange => ({
  at: '2026-12-24T11:00:00Z',
  environment: 'prod-eu',
  kind: 'deploy',
  principal: 'paula',
  ...extra,
});

/** December's report over both windows, with the approved override ovr-1. */
export const input = (
  changes: ComplianceChange[],
  extra: Partial<ComplianceInput> = {},
): ComplianceInput => ({
  from: '2026-12-01T00:00:00Z',
  to: '2027-01-01T00:00:00Z',
  changes,
  rejections: [],
  overrides: [approved()],
  calendar: alwaysHeld([holidays, payments]),
  ...extra,
});
