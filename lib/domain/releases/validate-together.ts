import type { SealedBundle } from '../bundles/bundle.ts';
import { changeProblems, suggester } from '../bundles/change-rules.ts';
import { dependencyProblems, requirementProblems } from '../bundles/environment-rules.ts';
import type { TargetEnvironment } from '../bundles/environment-rules.ts';
import { duplicateChanges } from '../bundles/parse-bundle.ts';
import { referenceProblems } from '../bundles/reference-rules.ts';
import { releaseConflicts } from '../bundles/release-conflicts.ts';
import { applyBundle } from '../bundles/snapshot.ts';
import type { Snapshot } from '../bundles/snapshot.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { indexCatalog } from '../catalog/catalog-index.ts';
import { formatBundleRef } from '../core/names.ts';
import { hasErrors, problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';

/** A problem of a release, naming the bundle (`name@version`) it is about when there is one. */
export interface ReleaseProblem extends Problem {
  bundle?: string;
}

/** The environment a release is validated against: its live snapshot and service versions. */
export interface ReleaseHead {
  snapshot: Snapshot;
  services?: Readonly<Record<string, string>>;
}

export interface TogetherResult {
  ok: boolean;
  problems: ReleaseProblem[];
  /** The bundles deploying the release applies, in order: those not live already. */
  applied: SealedBundle[];
  /** Bundles of the release already live in the environment (same version and hash). */
  live: SealedBundle[];
  /** The snapshot with every bundle applied (absent for an unknown environment). */
  next?: Snapshot;
}

const isLive = (snapshot: Snapshot, { bundle, hash }: SealedBundle): boolean =>
  snapshot.bundles.some((b) => b.name === bundle.name && b.version === bundle.version && b.hash === hash);

/** `dependency.not-deployed` becomes `release.dependency-order` when the dependency comes later in the release. */
const orderDependencies = (
  sealed: SealedBundle,
  later: readonly SealedBundle[],
  target: TargetEnvironment,
): Problem[] => {
  const laterRefs = new Set(later.map((s) => formatBundleRef(s.bundle)));
  // Where each dependency on a later bundle of the release sits; dependencyProblems reports there.
  const orderedLater = new Map(
    sealed.bundle.dependsOn
      .map((dependency, i): [string, string] => [`dependsOn[${i}]`, formatBundleRef(dependency)])
      .filter(([, ref]) => laterRefs.has(ref)),
  );
  return dependencyProblems(sealed.bundle, target).map((found) => {
    const ref = orderedLater.get(found.path as string);
    if (ref === undefined) return found;
    const message = `depends on ${ref}, which the release applies after it; the plan must order ${ref} first`;
    return problem('release.dependency-order', message, { path: found.path });
  });
};

/**
 * Every rule for a release's bundles applied together, in the given (plan) order, to one snapshot of
 * `environment`: each bundle's own rules against the snapshot the bundles before it produce (so a
 * `dependsOn` on an earlier bundle of the release is satisfied), conflicts between bundles (reported
 * once, on the later one), and reference rules on the final snapshot only — readers never see the
 * snapshots in between, so a reference to a key another bundle of the release sets is fine.
 * Bundles already live are not applied again. Returns every problem at once, each naming its bundle.
 */
export const validateReleaseTogether = (
  bundles: readonly SealedBundle[],
  environment: string,
  catalog: Catalog,
  head: ReleaseHead,
): TogetherResult => {
  const index = indexCatalog(catalog);
  const suggest = suggester();
  const live = bundles.filter((s) => isLive(head.snapshot, s));
  const applied = bundles.filter((s) => !live.includes(s));
  if (!index.environments.has(environment)) {
    const message = `environment ${environment} is not in the catalog${suggest(environment, index.environments.keys())}`;
    return { ok: false, problems: [problem('environment.unknown', message)], applied, live };
  }
  const problems: ReleaseProblem[] = [];
  const blame = (sealed: SealedBundle, found: readonly Problem[]): void => {
    const bundle = formatBundleRef(sealed.bundle);
    for (const p of found) problems.push({ ...p, bundle });
  };
  bundles.forEach((sealed, i) => {
    blame(sealed, releaseConflicts(sealed.bundle, bundles.slice(0, i)));
  });
  let snapshot = head.snapshot;
  applied.forEach((sealed, i) => {
    const target: TargetEnvironment = { name: environment, snapshot, services: head.services ?? {} };
    blame(sealed, [
      ...duplicateChanges(sealed.bundle.changes),
      ...changeProblems(sealed.bundle, index, target, suggest),
      ...requirementProblems(sealed.bundle, index, target, suggest),
      ...orderDependencies(sealed, applied.slice(i + 1), target),
    ]);
    snapshot = applyBundle(snapshot, sealed);
  });
  for (const sealed of applied) blame(sealed, referenceProblems(sealed.bundle, catalog, index, snapshot));
  return { ok: !hasErrors(problems), problems, applied, live, next: snapshot };
};
