/**
 * The coordination plan of a release, as this folder needs it. Impact analysis (../dependencies)
 * computes it; releases only read it, so any plan with these fields will do.
 */
export interface ReleasePlan {
  /** Bundle names in the order they apply: what a bundle depends on comes before it. */
  order: readonly string[];
  /** Teams that must sign off, each with the bundles its sign-off covers (absent: every bundle). */
  signoffs: readonly PlannedSignoff[];
  /** Dependency cycles among the release's bundles, by name; a release with one cannot ship. */
  cycles: readonly (readonly string[])[];
}

export interface PlannedSignoff {
  team: string;
  /** Names of the team's own bundles and of those affecting it; absent: the whole release. */
  bundles?: readonly string[];
}

/** `items` in plan order; names the plan does not know come last, by name, so the order is total. */
export const inPlanOrder = <T extends { name: string }>(items: readonly T[], plan: ReleasePlan): T[] => {
  const rank = new Map(plan.order.map((name, i) => [name, i]));
  const at = (item: T): number => rank.get(item.name) ?? Infinity;
  return [...items].sort((a, b) => at(a) - at(b) || a.name.localeCompare(b.name));
};
