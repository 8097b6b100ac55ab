import type { ChangeKind } from '../freeze/change-kind.ts';
import { parseInstant, toIso } from '../freeze/local-time.ts';
import type { Override } from './override.ts';

export interface OverrideUse {
  environment: string;
  /** `name@version` of the bundle being deployed, when the change is a bundle. */
  bundle?: string;
  kind: ChangeKind;
  /** ISO instant (or epoch ms) of the change. */
  at: string | number;
}

export type OverrideUseRefusal =
  'override.not-approved' | 'override.expired' | 'override.used' | 'override.scope-mismatch';

export type OverrideUseCheck =
  { usable: true } | { usable: false; code: OverrideUseRefusal; message: string };

/** Kinds a bundle override lets through: deploying the bundle, directly or as a rollout phase. */
const BUNDLE_KINDS: readonly ChangeKind[] = ['deploy', 'rollout-phase'];

const refuse = (code: OverrideUseRefusal, message: string): OverrideUseCheck => ({
  usable: false,
  code,
  message,
});

/** Is the change inside the override's scope (environment, and bundle or change kinds)? */
export const scopeRefusal = (override: Override, use: OverrideUse): OverrideUseCheck => {
  if (use.environment !== override.environment) {
    return refuse(
      'override.scope-mismatch',
      `override ${override.id} is for ${override.environment}, not ${use.environment}`,
    );
  }
  if (override.bundle !== undefined) {
    if (use.bundle !== override.bundle || !BUNDLE_KINDS.includes(use.kind)) {
      return refuse(
        'override.scope-mismatch',
        `override ${override.id} lets ${override.bundle} deploy, not ${use.kind}${use.bundle === undefined ? '' : ` of ${use.bundle}`}`,
      );
    }
  } else if (override.changeKinds?.includes(use.kind) !== true) {
    return refuse(
      'override.scope-mismatch',
      `override ${override.id} covers ${(override.changeKinds ?? []).join(', ')}, not ${use.kind}`,
    );
  }
  return { usable: true };
};

/**
 * Was the override in force at `use.at` for this change: approved by then, inside its time box, and
 * scoped to it? Ignores whether it was since used (the compliance report asks this about past uses).
 */
export const overrideCovers = (override: Override, use: OverrideUse): OverrideUseCheck => {
  const at = parseInstant(use.at);
  const approvedAt = override.approvedAt === undefined ? null : parseInstant(override.approvedAt);
  const expiresAt = override.expiresAt === undefined ? null : parseInstant(override.expiresAt);
  if (at === null || approvedAt === null || expiresAt === null || at < approvedAt) {
    return refuse('override.not-approved', `override ${override.id} was not approved at that time`);
  }
  if (at >= expiresAt)
    return refuse('override.expired', `override ${override.id} expired at ${override.expiresAt}`);
  return scopeRefusal(override, use);
};

/**
 * May this change use the override now? The deploy transaction asks this, then consumes it with
 * `consumeOverride` under the condition `status = approved`.
 */
export const checkOverrideUse = (override: Override, use: OverrideUse): OverrideUseCheck => {
  if (override.status === 'used')
    return refuse('override.used', `override ${override.id} was already used; it is single-use`);
  if (override.status === 'expired') return refuse('override.expired', `override ${override.id} has expired`);
  if (override.status !== 'approved')
    return refuse('override.not-approved', `override ${override.id} is ${override.status}`);
  return overrideCovers(override, use);
};

/** Record a use: a single-use override becomes `used`; a reusable one stays approved. */
export const consumeOverride = (
  override: Override,
  use: OverrideUse & { deploymentId?: string },
): { ok: true; override: Override } | { ok: false; code: OverrideUseRefusal; message: string } => {
  const check = checkOverrideUse(override, use);
  if (!check.usable) return { ok: false, code: check.code, message: check.message };
  const entry = {
    at: toIso(parseInstant(use.at) as number),
    ...(use.deploymentId === undefined ? {} : { deploymentId: use.deploymentId }),
  };
  return {
    ok: true,
    override: {
      ...override,
      status: override.reusable ? 'approved' : 'used',
      uses: [...override.uses, entry],
    },
  };
};
