import { rolesOf } from '../core/authorization.ts';
import type { Decision } from '../core/authorization.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { ReleasePlan } from './release-plan.ts';
import type { SignoffStatus } from './signoff.ts';

/**
 * May `principal` sign off `team`'s part of a release? Only a member of the team (role `team:<team>`),
 * and only for a team the plan asks: a release manager's word is the separate approval.
 */
export const canSignOff = (
  catalog: Catalog,
  principal: string,
  team: string,
  plan: ReleasePlan,
): Decision => {
  if (!plan.signoffs.some((s) => s.team === team)) {
    const asked = plan.signoffs.map((s) => s.team).join(', ') || 'no team';
    return { allowed: false, reason: `the plan does not ask team ${team} to sign off (it asks ${asked})` };
  }
  if (rolesOf(catalog, principal).includes(`team:${team}`)) return { allowed: true };
  return {
    allowed: false,
    reason: `${principal} is not a member of team ${team}; only its members sign off for it`,
  };
};

const isReleaseManager = (catalog: Catalog, principal: string): boolean =>
  rolesOf(catalog, principal).includes('release-manager');

/** May `principal` approve a release? A release manager only. */
export const canApprove = (catalog: Catalog, principal: string): Decision =>
  isReleaseManager(catalog, principal)
    ? { allowed: true }
    : {
        allowed: false,
        reason: `${principal} is not a release manager; only a release manager approves a release`,
      };

/** `--override-signoffs --reason ...`: who went ahead without the sign-offs, and why (audited). */
export interface SignoffOverride {
  principal: string;
  reason: string;
}

/** The override, if `principal` is a release manager and gives a reason; otherwise why not. */
export const overrideSignoffs = (
  catalog: Catalog,
  principal: string,
  reason: string | undefined,
): { ok: true; override: SignoffOverride } | { ok: false; reason: string } => {
  if (!isReleaseManager(catalog, principal)) {
    return {
      ok: false,
      reason: `${principal} is not a release manager; only a release manager may override sign-offs`,
    };
  }
  const why = reason?.trim() ?? '';
  if (why === '') return { ok: false, reason: 'overriding sign-offs needs a reason (--reason ...)' };
  return { ok: true, override: { principal, reason: why } };
};

export type SignoffGate = { ok: true; override?: SignoffOverride } | { ok: false; reason: string };

/** Deploying or rolling out a release needs every sign-off and the approval, or an override. */
export const signoffGate = (status: SignoffStatus, override?: SignoffOverride): SignoffGate => {
  if (status.complete) return { ok: true };
  if (override) return { ok: true, override };
  const teams = status.teams.filter((t) => t.state !== 'signed').map((t) => `${t.team} (${t.state})`);
  const approval =
    status.approval.state === 'signed' ? [] : [`release manager approval (${status.approval.state})`];
  const lacking = [...teams.map((t) => `team ${t}`), ...approval].join(', ');
  return {
    ok: false,
    reason: `the release lacks sign-offs: ${lacking}; a release manager may go ahead with --override-signoffs --reason ...`,
  };
};
