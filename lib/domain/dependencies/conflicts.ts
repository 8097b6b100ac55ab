import type { DependencyGraph, GraphNode } from './graph-model.ts';
import { edgesIn, edgesOut, nameOf, nodeId } from './graph-model.ts';
import type { ImpactOptions, OtherBundle, RolloutConflict } from './impact-model.ts';

const sorted = (items: Iterable<string>): string[] => [...new Set(items)].sort();

/** Pushed bundles outside the change set that change the same or affected keys. */
export const otherBundles = (
  graph: DependencyGraph,
  own: ReadonlySet<string>,
  changed: readonly string[],
  affectedKeys: readonly string[],
): OtherBundle[] => {
  const found = new Map<string, OtherBundle>();
  const visit = (keys: readonly string[], field: 'sameKeys' | 'affectedKeys'): void => {
    for (const key of keys)
      for (const edge of edgesIn(graph, key)) {
        if (edge.kind !== 'changes' || own.has(edge.from)) continue;
        let entry = found.get(edge.from);
        if (entry === undefined) {
          const node = graph.nodes.get(edge.from) as GraphNode;
          entry = {
            bundle: node.name,
            ...(node.team === undefined ? {} : { team: node.team }),
            sameKeys: [],
            affectedKeys: [],
          };
          found.set(edge.from, entry);
        }
        entry[field].push(nameOf(key));
      }
  };
  visit(changed, 'sameKeys');
  visit(affectedKeys, 'affectedKeys');
  return [...found.values()]
    .sort((a, b) => (a.bundle < b.bundle ? -1 : 1))
    .map((b) => ({
      ...b,
      sameKeys: sorted(b.sameKeys),
      affectedKeys: sorted(b.affectedKeys),
    }));
};

/** Running rollouts of other bundles (in `environment`, when given) that change touched keys. */
export const rolloutConflicts = (
  graph: DependencyGraph,
  options: ImpactOptions,
  own: ReadonlySet<string>,
  touched: ReadonlySet<string>,
): RolloutConflict[] =>
  (options.rollouts ?? [])
    .filter((r) => !own.has(nodeId('bundle', r.bundle)))
    .filter((r) => options.environment === undefined || r.environments.includes(options.environment))
    .map((r) => ({
      rollout: r.id,
      bundle: r.bundle,
      environments: sorted(r.environments),
      keys: sorted(
        edgesOut(graph, nodeId('bundle', r.bundle))
          .filter((e) => e.kind === 'changes' && touched.has(e.to))
          .map((e) => nameOf(e.to)),
      ),
    }))
    .filter((r) => r.keys.length > 0)
    .sort((a, b) => (a.rollout < b.rollout ? -1 : 1));
