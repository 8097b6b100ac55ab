import type { DependencyGraph } from './graph-model.ts';
import { edgesOut } from './graph-model.ts';
import type { CoordinationPlan, PlanStep } from './impact-model.ts';
import { referencedGroups } from './reference-reach.ts';
import { unmetRequirements } from './requirements.ts';
import { safeOrder } from './safe-order.ts';

const sorted = (items: Iterable<string>): string[] => [...new Set(items)].sort();

/** The bundles a set of bundles depends on, transitively (themselves included). */
const withDependencies = (graph: DependencyGraph, bundles: readonly string[]): string[] => {
  const seen = new Set(bundles);
  for (const id of seen)
    for (const edge of edgesOut(graph, id)) if (edge.kind === 'dependsOn') seen.add(edge.to);
  return sorted(seen);
};

/**
 * Which steps go first: a bundle after the bundles it depends on, after the services it requires,
 * and after the bundles that change a key its keys reference (directly or through other keys).
 */
export const coordinationPlan = (
  graph: DependencyGraph,
  bundles: readonly string[],
  affectedTeams: Iterable<string>,
  authors: readonly string[],
  environment?: string,
): CoordinationPlan => {
  const steps = withDependencies(graph, bundles);
  const changes = steps.map((bundle) =>
    edgesOut(graph, bundle)
      .filter((e) => e.kind === 'changes')
      .map((e) => e.to),
  );
  const referenced = referencedGroups(graph, changes, environment);
  const needs = new Map<string, string[]>();
  const ranges = new Map<string, string[]>();
  steps.forEach((bundle, i) => {
    const before = new Set<string>();
    for (const edge of edgesOut(graph, bundle)) {
      if (edge.kind === 'dependsOn' || edge.kind === 'requires') before.add(edge.to);
      if (edge.kind === 'requires')
        ranges.set(edge.to, [...(ranges.get(edge.to) ?? []), edge.range as string]);
    }
    for (const other of referenced[i] as number[]) before.add(steps[other] as string);
    needs.set(bundle, sorted(before));
  });
  const { order, cycles } = safeOrder(needs);
  const teams = new Set(affectedTeams);
  const plan: PlanStep[] = order.map((id) => {
    const team = graph.nodes.get(id)?.team;
    if (team !== undefined) teams.add(team);
    const required = ranges.get(id);
    const unmet = required === undefined ? [] : unmetRequirements(graph, id, required, environment);
    return {
      id,
      ...(team === undefined ? {} : { team }),
      after: needs.get(id) ?? [],
      ...(unmet.length === 0 ? {} : { unmet }),
    };
  });
  return {
    authors: sorted(authors),
    signOff: sorted([...teams].filter((team) => !authors.includes(team))),
    order: plan,
    cycles,
  };
};
