import type { DependencyGraph } from './graph-model.ts';
import { edgesIn, holdsIn } from './graph-model.ts';
import type { AffectedNode } from './impact-model.ts';

/**
 * Everything that reads a changed node, transitively: keys whose values reference it, flags that
 * read it or require a flag that does. Breadth-first over incoming `references` and `prerequisite`
 * edges (those holding in `environment`), so each path is a shortest one. Linear in what it visits.
 */
export const affectedBy = (
  graph: DependencyGraph,
  changed: readonly string[],
  environment?: string,
): AffectedNode[] => {
  const parent = new Map<string, string | undefined>(changed.map((id) => [id, undefined]));
  const queue = [...changed];
  const found: string[] = [];
  // for…of sees the entries pushed while it runs: a breadth-first walk.
  for (const id of queue) {
    for (const edge of edgesIn(graph, id)) {
      if (edge.kind !== 'references' && edge.kind !== 'prerequisite') continue;
      if (parent.has(edge.from) || !holdsIn(edge, environment)) continue;
      parent.set(edge.from, id);
      queue.push(edge.from);
      found.push(edge.from);
    }
  }
  const nodes = found.map((id) => {
    const path: string[] = [];
    for (let at: string | undefined = id; at !== undefined; at = parent.get(at)) path.push(at);
    return { id, path: path.reverse() };
  });
  // Nearest first, then by id: the same answer whatever order the edges were added in.
  return nodes.sort((a, b) => a.path.length - b.path.length || (a.id < b.id ? -1 : 1));
};
