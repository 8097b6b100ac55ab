import type { DependencyGraph } from './graph-model.ts';
import { edgesOut, holdsIn } from './graph-model.ts';
import type { CoordinationPlan, PlanStep } from './impact-model.ts';
import { safeOrder } from './safe-order.ts';

const sorted = (items: Iterable<string>): string[] => [...new Set(items)].sort();

/** The bundles a set of bundles depends on, transitively (themselves included). */
const withDependencies = (graph: DependencyGraph, bundles: readonly string[]): string[] => {
  const seen = new Set(bundles);
  for (const id of seen)
    for (const edge of edgesOut(graph, id)) if (edge.kind === 'dependsOn') seen.add(edge.to);
  return sorted(seen);
};

/** Keys reachable from `keys` through references that hold in `environment`. */
const referencedFrom = (
  graph: DependencyGraph,
  keys: readonly string[],
  environment?: string,
): Set<string> => {
  const seen = new Set<string>();
  const queue = [...keys];
  for (const id of queue)
    for (const edge of edgesOut(graph, id))
      if (edge.kind === 'references' && holdsIn(edge, environment) && !seen.has(edge.to)) {
        seen.add(edge.to);
        queue.push(edge.to);
      }
  return seen;
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
  const changers = new Map<string, string[]>();
  for (const bundle of steps)
    for (const edge of edgesOut(graph, bundle)) {
      if (edge.kind !== 'changes') continue;
      const list = changers.get(edge.to);
      if (list) list.push(bundle);
      else changers.set(edge.to, [bundle]);
    }
  const needs = new Map<string, string[]>();
  for (const bundle of steps) {
    const before = new Set<string>();
    const keys: string[] = [];
    for (const edge of edgesOut(graph, bundle)) {
      if (edge.kind === 'dependsOn' || edge.kind === 'requires') before.add(edge.to);
      if (edge.kind === 'changes') keys.push(edge.to);
    }
    for (const key of referencedFrom(graph, keys, environment))
      for (const other of changers.get(key) ?? []) if (other !== bundle) before.add(other);
    needs.set(bundle, sorted(before));
  }
  const { order, cycles } = safeOrder(needs);
  const teams = new Set(affectedTeams);
  const plan: PlanStep[] = order.map((id) => {
    const team = graph.nodes.get(id)?.team;
    if (team !== undefined) teams.add(team);
    return { id, ...(team === undefined ? {} : { team }), after: needs.get(id) ?? [] };
  });
  return {
    authors: sorted(authors),
    signOff: sorted([...teams].filter((team) => !authors.includes(team))),
    order: plan,
    cycles,
  };
};
