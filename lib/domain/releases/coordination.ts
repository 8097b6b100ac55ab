import type { SealedBundle } from '../bundles/bundle.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { formatBundleRef } from '../core/names.ts';
import { buildDependencyGraph } from '../dependencies/graph.ts';
import { nameOf } from '../dependencies/graph-model.ts';
import { impact } from '../dependencies/impact.ts';
import type { CoordinationPlan } from '../dependencies/impact-model.ts';
import type { PlannedSignoff, ReleasePlan } from './release-plan.ts';

const BUNDLE = 'bundle:';

/** `bundle:name@version` → name; other ids (services) → undefined. */
const bundleName = (id: string): string | undefined => {
  if (!id.startsWith(BUNDLE)) return undefined;
  const ref = nameOf(id);
  return ref.slice(0, ref.lastIndexOf('@'));
};

/**
 * The release's view of impact analysis' coordination plan: bundle names in safe order (steps that
 * are services or bundles outside the release dropped), cycles by bundle name, and the sign-offs:
 * each authoring team signs its own bundles and those they come after; every other affected team
 * signs the whole release.
 */
export const releasePlanOf = (plan: CoordinationPlan, names: ReadonlySet<string>): ReleasePlan => {
  const inRelease = (id: string): string[] => {
    const name = bundleName(id);
    return name !== undefined && names.has(name) ? [name] : [];
  };
  const order = plan.order.flatMap((step) => inRelease(step.id));
  const scopes = new Map<string, Set<string>>();
  for (const step of plan.order) {
    const [name] = inRelease(step.id);
    if (name === undefined || step.team === undefined) continue;
    const scope = scopes.get(step.team) ?? new Set<string>();
    for (const covered of [name, ...step.after.flatMap(inRelease)]) scope.add(covered);
    scopes.set(step.team, scope);
  }
  const rank = new Map(order.map((name, i) => [name, i]));
  const authored: PlannedSignoff[] = [...scopes].map(([team, scope]) => ({
    team,
    bundles: [...scope].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0)),
  }));
  const affected: PlannedSignoff[] = plan.signOff.filter((t) => !scopes.has(t)).map((team) => ({ team }));
  const signoffs = [...authored, ...affected].sort((a, b) => a.team.localeCompare(b.team));
  const cycles = plan.cycles.map((cycle) => cycle.flatMap(inRelease));
  return { order, signoffs, cycles: cycles.filter((c) => c.length > 0) };
};

/** The coordination plan of a release's bundles, from the dependency graph over the catalog. */
export const planRelease = (catalog: Catalog, bundles: readonly SealedBundle[], now: Date): ReleasePlan => {
  const graph = buildDependencyGraph({ catalog, bundles: bundles.map((b) => b.bundle) });
  const refs = bundles.map((b) => formatBundleRef(b.bundle));
  const { plan } = impact(graph, { bundles: refs }, { now });
  return releasePlanOf(plan, new Set(bundles.map((b) => b.bundle.name)));
};
