import { formatBundleRef } from '../core/names.ts';
import { hasErrors, problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';
import { environmentStatus } from './environment-status.ts';
import type { EnvironmentStatus, ReleaseEnvironment } from './environment-status.ts';
import type { ReleaseManifest } from './manifest.ts';
import { releaseBundles } from './release-bundles.ts';
import type { MissingBundle, PushedBundle, ReleaseBundle } from './release-bundles.ts';
import { inPlanOrder } from './release-plan.ts';
import type { ReleasePlan } from './release-plan.ts';
import { signoffStatus } from './signoff.ts';
import type { Approval, Signoff, SignoffStatus } from './signoff.ts';

/** One occurrence of a freeze window (ISO instants, end exclusive), as the freeze calendar gives it. */
export interface FreezeOccurrence {
  id: string;
  name: string;
  start: string;
  end: string;
}

export interface ReleaseStateInput {
  release: string;
  manifest?: ReleaseManifest;
  /** Every pushed bundle (or at least every one labelled with the release). */
  pushed: readonly PushedBundle[];
  environments: readonly ReleaseEnvironment[];
  plan: ReleasePlan;
  signoffs?: readonly Signoff[];
  approvals?: readonly Approval[];
  /** Freeze occurrences around the target date; those overlapping its day (UTC) are kept. */
  freezes?: readonly FreezeOccurrence[];
  /** validateReleaseTogether's problems per environment, when the caller ran it. */
  validation?: Readonly<Record<string, readonly Problem[]>>;
}

export type ReleaseProgress = 'not-started' | 'in-progress' | 'complete';

export interface ReleaseState {
  release: string;
  manifest?: ReleaseManifest;
  /** In plan order. */
  bundles: ReleaseBundle[];
  missing: MissingBundle[];
  teams: string[];
  environments: EnvironmentStatus[];
  /** complete: every environment holds all of it; not-started: none holds any of it. */
  progress: ReleaseProgress;
  signoffs: SignoffStatus;
  /** Freeze occurrences overlapping the target date. */
  freezes: FreezeOccurrence[];
  /** Ready when no reason is an error; warnings (a freeze on the target date) do not block. */
  readiness: { ready: boolean; reasons: Problem[] };
}

const DAY_MS = 86_400_000;

const onDay = (day: string, freezes: readonly FreezeOccurrence[]): FreezeOccurrence[] => {
  const start = Date.parse(`${day}T00:00:00Z`);
  return freezes.filter((f) => Date.parse(f.start) < start + DAY_MS && Date.parse(f.end) > start);
};

const progressOf = (environments: readonly EnvironmentStatus[]): ReleaseProgress => {
  if (environments.length > 0 && environments.every((e) => e.status === 'complete')) return 'complete';
  return environments.every((e) => e.status === 'none') ? 'not-started' : 'in-progress';
};

const warning = (code: string, message: string): Problem => ({
  ...problem(code, message),
  severity: 'warning',
});

const reasonsOf = (
  input: ReleaseStateInput,
  state: Omit<ReleaseState, 'readiness'>,
  now: string,
): Problem[] => {
  const { release } = input;
  const reasons: Problem[] = [];
  if (state.bundles.length === 0) reasons.push(problem('release.empty', `no bundle is labelled ${release}`));
  for (const m of state.missing) {
    const pushed = m.pushed.length > 0 ? ` (pushed: ${m.pushed.join(', ')})` : '';
    const what = m.version === undefined ? m.name : formatBundleRef({ name: m.name, version: m.version });
    reasons.push(
      problem('release.bundle-missing', `the manifest lists ${what}, which is not pushed${pushed}`),
    );
  }
  for (const cycle of input.plan.cycles) {
    const path = [...cycle, cycle[0]].join(' → ');
    reasons.push(problem('release.plan-cycle', `bundles depend on each other in a cycle: ${path}`));
  }
  for (const [environment, problems] of Object.entries(input.validation ?? {})) {
    const errors = problems.filter((p) => (p.severity ?? 'error') === 'error').length;
    if (errors > 0) {
      const message = `applied together, the bundles break ${errors} rule(s) in ${environment}`;
      reasons.push(problem('release.invalid', message, { path: environment }));
    }
  }
  for (const team of state.signoffs.teams) {
    if (team.state === 'signed') continue;
    const why = team.changed ? ` (stale: ${team.changed.join('; ')})` : '';
    reasons.push(problem(`release.signoff-${team.state}`, `team ${team.team} has not signed off${why}`));
  }
  const { approval } = state.signoffs;
  if (approval.state !== 'signed') {
    const why = approval.changed ? ` (stale: ${approval.changed.join('; ')})` : '';
    reasons.push(problem(`release.approval-${approval.state}`, `no release manager has approved${why}`));
  }
  const target = input.manifest?.targetDate;
  for (const freeze of state.freezes) {
    reasons.push(
      warning('release.frozen-on-target', `freeze ${freeze.name} overlaps the target date ${target}`),
    );
  }
  if (target !== undefined && now.slice(0, 10) > target && state.progress !== 'complete') {
    reasons.push(warning('release.target-passed', `the target date ${target} has passed`));
  }
  return reasons;
};

/**
 * Everything known about a release, derived from what is stored elsewhere (bundles, HEADs,
 * sign-offs, the plan); nothing here is stored twice. `now` is an ISO instant.
 */
export const releaseState = (input: ReleaseStateInput, now: string): ReleaseState => {
  const selected = releaseBundles(input.release, input.pushed, input.manifest);
  const bundles = inPlanOrder(selected.bundles, input.plan);
  const environments = input.environments.map((e) => environmentStatus(input.release, bundles, e));
  const target = input.manifest?.targetDate;
  const state = {
    release: input.release,
    ...(input.manifest ? { manifest: input.manifest } : {}),
    bundles,
    missing: selected.missing,
    teams: selected.teams,
    environments,
    progress: progressOf(environments),
    signoffs: signoffStatus(input.plan, bundles, input.signoffs ?? [], input.approvals ?? []),
    freezes: target === undefined ? [] : onDay(target, input.freezes ?? []),
  };
  const reasons = reasonsOf(input, state, now);
  return { ...state, readiness: { ready: !hasErrors(reasons), reasons } };
};
