/**
 * The values of the domain's enumerations that CLI options offer as choices (`--kind`, `--level`, ...).
 * They are repeated here because the domain modules that define them bring zod, luxon and rrule with
 * them, and commander needs the choices at start-up, for every command and `--help`: test/unit/cli
 * checks that each list equals the domain's.
 */
import type { AlarmState } from '#domain/rollout/events.ts';
import type { ChangeKind, FreezeLevel } from '#domain/freeze/change-kind.ts';
import type { InFlightPolicy } from '#domain/freeze/freeze-window.ts';
import type { OverrideStatus } from '#domain/overrides/override.ts';

export const changeKinds = [
  'deploy',
  'rollback',
  'flag',
  'flag-kill-switch',
  'rollout-phase',
] as const satisfies readonly ChangeKind[];
export const freezeLevels = ['hard', 'soft'] as const satisfies readonly FreezeLevel[];
export const inFlightPolicies = [
  'pause',
  'finish-phase',
  'continue',
] as const satisfies readonly InFlightPolicy[];
export const overrideStatuses = [
  'pending',
  'approved',
  'rejected',
  'expired',
  'used',
] as const satisfies readonly OverrideStatus[];
export const alarmStates = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const satisfies readonly AlarmState[];
