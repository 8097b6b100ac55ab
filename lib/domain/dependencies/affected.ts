import type { DependencyGraph } from './graph-model.ts';
import { holdsIn } from './graph-model.ts';
import type { GraphIndex } from './graph-index.ts';
import { EDGE_CODE, SLOT, graphIndex, scratch, sortById } from './graph-index.ts';
import type { AffectedNode } from './impact-model.ts';

const REFERENCES = EDGE_CODE.references;
const PREREQUISITE = EDGE_CODE.prerequisite;

export interface AffectedWalk {
  /** The affected nodes (changed ones excluded), nearest first, then by id. */
  order: Int32Array;
  /**
   * The node each was reached from (-1 for a changed node), for its path; with `depth`, valid until
   * the next walk over the same graph (they are the index's scratch arrays).
   */
  parent: Int32Array;
  depth: Int32Array;
}

/**
 * Everything that reads a changed node, transitively, as node numbers: breadth-first over
 * incoming `references` and `prerequisite` edges holding in `environment`, in the graph's edge
 * order, so each node keeps the first shortest path found.
 */
export const affectedWalk = (
  index: GraphIndex,
  changed: readonly number[],
  environment?: string,
): AffectedWalk => {
  const { start, other, kind, edge } = index.in;
  const parent = scratch(index, SLOT.walkParent, index.size).fill(-2);
  const depth = scratch(index, SLOT.walkDepth, index.size);
  const queue = scratch(index, SLOT.walkQueue, index.size);
  let tail = 0;
  for (const id of changed)
    if (parent[id] === -2) {
      parent[id] = -1;
      depth[id] = 0;
      queue[tail++] = id;
    }
  const found = tail;
  for (let head = 0; head < tail; head += 1) {
    const at = queue[head] as number;
    const next = (depth[at] as number) + 1;
    for (let e = start[at] as number, end = start[at + 1] as number; e < end; e += 1) {
      const code = kind[e];
      if (code !== REFERENCES && code !== PREREQUISITE) continue;
      const from = other[e] as number;
      if (parent[from] !== -2) continue;
      if (environment !== undefined && !holdsIn(edge[e] as (typeof edge)[number], environment)) continue;
      parent[from] = at;
      depth[from] = next;
      queue[tail++] = from;
    }
  }
  // Breadth-first: depths never decrease along the queue; sort each run of one depth by id.
  const order = queue.slice(found, tail);
  for (let run = 0; run < order.length;) {
    const level = depth[order[run] as number] as number;
    let end = run + 1;
    while (end < order.length && depth[order[end] as number] === level) end += 1;
    sortById(index, order.subarray(run, end));
    run = end;
  }
  return { order, parent, depth };
};

/** The path of node `id` from the changed node it was reached from: ids. */
export const pathOf = (index: GraphIndex, walk: AffectedWalk, id: number): string[] => {
  const path = new Array<string>((walk.depth[id] as number) + 1);
  for (let at = id, i = path.length - 1; i >= 0; at = walk.parent[at] as number, i -= 1)
    path[i] = index.ids[at] as string;
  return path;
};

export const affectedNodes = (index: GraphIndex, walk: AffectedWalk): AffectedNode[] => {
  const nodes = new Array<AffectedNode>(walk.order.length);
  for (let j = 0; j < walk.order.length; j += 1) {
    const id = walk.order[j] as number;
    nodes[j] = { id: index.ids[id] as string, path: pathOf(index, walk, id) };
  }
  return nodes;
};

/**
 * Everything that reads a changed node, transitively: keys whose values reference it, flags that
 * read it or require a flag that does. Breadth-first over incoming `references` and `prerequisite`
 * edges (those holding in `environment`), so each path is a shortest one; nearest first, then by
 * id. Linear in what it visits, over the graph's numbered index.
 */
export const affectedBy = (
  graph: DependencyGraph,
  changed: readonly string[],
  environment?: string,
): AffectedNode[] => {
  const index = graphIndex(graph);
  const numbers = changed.flatMap((id) => index.numberOf.get(id) ?? []);
  return affectedNodes(index, affectedWalk(index, numbers, environment));
};
