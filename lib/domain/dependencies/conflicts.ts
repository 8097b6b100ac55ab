import type { DependencyGraph } from './graph-model.ts';
import { edgesOut, nameOf, nodeId } from './graph-model.ts';
import type { ImpactOptions, RolloutConflict } from './impact-model.ts';

const sorted = (items: Iterable<string>): string[] => [...new Set(items)].sort();

/** Running rollouts of other bundles (in `environment`, when given) that change touched keys. */
export const rolloutConflicts = (
  graph: DependencyGraph,
  options: ImpactOptions,
  own: ReadonlySet<string>,
  touched: (id: string) => boolean,
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
          .filter((e) => e.kind === 'changes' && touched(e.to))
          .map((e) => nameOf(e.to)),
      ),
    }))
    .filter((r) => r.keys.length > 0)
    .sort((a, b) => (a.rollout < b.rollout ? -1 : 1));
