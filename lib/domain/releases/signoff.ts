import { z } from 'zod';
import { formatBundleRef, nameSchema, releaseSchema, versionSchema } from '../core/names.ts';
import type { ReleasePlan } from './release-plan.ts';

/** A bundle as a sign-off saw it: a later push of another version or content no longer matches. */
export const coveredBundleSchema = z.strictObject({
  name: nameSchema,
  version: versionSchema,
  hash: z.string().min(1).max(128),
});
export type CoveredBundle = z.infer<typeof coveredBundleSchema>;

/** `convoy release signoff <release> --team t [--note ...]`, by a member of team t. */
export const signoffSchema = z.strictObject({
  release: releaseSchema,
  team: nameSchema,
  principal: z.string().min(1).max(128),
  note: z.string().max(2000).optional(),
  at: z.string().min(1).max(40),
  /** The bundles the team's sign-off covers (its scope in the plan), as they were when it signed. */
  covers: z.array(coveredBundleSchema),
});
export type Signoff = z.infer<typeof signoffSchema>;

/** A release manager's approval: it covers every bundle of the release. */
export const approvalSchema = signoffSchema.omit({ team: true });
export type Approval = z.infer<typeof approvalSchema>;

/**
 * The bundles a team's sign-off covers: those the plan names for the team (its own and the ones
 * affecting it), or the whole release when the plan names none or does not ask the team.
 */
export const signoffScope = <T extends CoveredBundle>(
  plan: ReleasePlan,
  team: string,
  bundles: readonly T[],
): T[] => {
  const names = plan.signoffs.find((s) => s.team === team)?.bundles;
  return names === undefined ? [...bundles] : bundles.filter((b) => names.includes(b.name));
};

export const coverOf = ({ name, version, hash }: CoveredBundle): CoveredBundle => ({ name, version, hash });

export interface SignoffValidity {
  valid: boolean;
  /** What changed in the scope since, one phrase per bundle, sorted: "a@1 became a@2", "b@3 was added". */
  changed: string[];
}

/**
 * A sign-off (or approval) holds while the bundles in its scope are exactly the ones it covered,
 * compared by name and content hash: a bundle changed, added to or removed from the scope since
 * invalidates it. Bundles outside the scope do not.
 */
export const signoffValid = (
  signoff: Pick<Signoff, 'covers'>,
  current: readonly CoveredBundle[],
): SignoffValidity => {
  const covered = new Map(signoff.covers.map((b) => [b.name, b]));
  const now = new Map(current.map((b) => [b.name, b]));
  const changed: string[] = [];
  for (const [name, bundle] of now) {
    const then = covered.get(name);
    if (!then) changed.push(`${formatBundleRef(bundle)} was added`);
    else if (then.hash !== bundle.hash)
      changed.push(`${formatBundleRef(then)} became ${formatBundleRef(bundle)}`);
  }
  for (const [name, bundle] of covered) {
    if (!now.has(name)) changed.push(`${formatBundleRef(bundle)} was removed`);
  }
  return { valid: changed.length === 0, changed: changed.sort() };
};

/** A team's sign-off over the bundles of its scope as they are now. */
export const signoffFor = (
  input: Omit<Signoff, 'covers'>,
  plan: ReleasePlan,
  bundles: readonly CoveredBundle[],
): Signoff => ({ ...input, covers: signoffScope(plan, input.team, bundles).map(coverOf) });

/** A release manager's approval over every bundle of the release as they are now. */
export const approvalFor = (
  input: Omit<Approval, 'covers'>,
  bundles: readonly CoveredBundle[],
): Approval => ({
  ...input,
  covers: bundles.map(coverOf),
});

export type SignoffState = 'signed' | 'stale' | 'missing';

export interface TeamSignoff {
  team: string;
  state: SignoffState;
  /** The sign-off that counts: the latest valid one, else the latest. */
  signoff?: Signoff;
  /** Why a stale sign-off no longer counts (signoffValid's phrases). */
  changed?: string[];
}

export interface ApprovalStatus {
  state: SignoffState;
  approval?: Approval;
  changed?: string[];
}

export interface SignoffStatus {
  teams: TeamSignoff[];
  approval: ApprovalStatus;
  /** Every team signed and a release manager approved, all still valid. */
  complete: boolean;
}

const latest = <T extends { at: string }>(items: readonly T[]): T | undefined =>
  items.reduce<T | undefined>((a, b) => (a === undefined || b.at >= a.at ? b : a), undefined);

/** The latest record that is still valid; else the latest record with why it is stale. */
const judge = <T extends { at: string; covers: CoveredBundle[] }>(
  records: readonly T[],
  scope: readonly CoveredBundle[],
): { state: SignoffState; record?: T; changed?: string[] } => {
  const valid = latest(records.filter((r) => signoffValid(r, scope).valid));
  if (valid) return { state: 'signed', record: valid };
  const last = latest(records);
  if (!last) return { state: 'missing' };
  return { state: 'stale', record: last, changed: signoffValid(last, scope).changed };
};

/** Who signed what among the teams the plan asks, and the release manager's approval. */
export const signoffStatus = (
  plan: ReleasePlan,
  bundles: readonly CoveredBundle[],
  signoffs: readonly Signoff[],
  approvals: readonly Approval[],
): SignoffStatus => {
  const teams = plan.signoffs.map(({ team }): TeamSignoff => {
    const verdict = judge(
      signoffs.filter((s) => s.team === team),
      signoffScope(plan, team, bundles),
    );
    return {
      team,
      state: verdict.state,
      ...(verdict.record ? { signoff: verdict.record } : {}),
      ...(verdict.changed ? { changed: verdict.changed } : {}),
    };
  });
  const verdict = judge(approvals, bundles);
  const approval: ApprovalStatus = {
    state: verdict.state,
    ...(verdict.record ? { approval: verdict.record } : {}),
    ...(verdict.changed ? { changed: verdict.changed } : {}),
  };
  const complete = approval.state === 'signed' && teams.every((t) => t.state === 'signed');
  return { teams, approval, complete };
};
