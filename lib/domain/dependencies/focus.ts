import type { DependencyGraph, GraphEdge, GraphNode, NodeKind, Subgraph } from './graph-model.ts';
import { compareEdges, compareNodes, edgesIn, edgesOut } from './graph-model.ts';

/**
 * The nodes within `depth` edges of `focus` (either direction), and the edges between them.
 * With `kinds`, only nodes of those kinds are shown or walked through (the focus always is).
 * An unknown focus gives an empty subgraph.
 */
export const focus = (
  graph: DependencyGraph,
  center: string,
  depth: number,
  kinds?: readonly NodeKind[],
): Subgraph => {
  if (!graph.nodes.has(center)) return { nodes: [], edges: [] };
  const allowed = (id: string): boolean =>
    kinds === undefined || kinds.includes((graph.nodes.get(id) as GraphNode).kind);
  const distance = new Map([[center, 0]]);
  const queue = [center];
  for (const id of queue) {
    const at = distance.get(id) as number;
    if (at >= depth) continue;
    for (const edge of [...edgesOut(graph, id), ...edgesIn(graph, id)]) {
      const next = edge.from === id ? edge.to : edge.from;
      if (distance.has(next) || !allowed(next)) continue;
      distance.set(next, at + 1);
      queue.push(next);
    }
  }
  const edges: GraphEdge[] = [];
  for (const id of distance.keys())
    for (const edge of edgesOut(graph, id)) if (distance.has(edge.to)) edges.push(edge);
  return {
    nodes: [...distance.keys()].map((id) => graph.nodes.get(id) as GraphNode).sort(compareNodes),
    edges: edges.sort(compareEdges),
  };
};

export interface PathStep {
  edge: GraphEdge;
  /** False when the step walks the edge against its direction. */
  forward: boolean;
}

export interface GraphPath {
  /** Node ids from `from` to `to`. */
  nodes: string[];
  steps: PathStep[];
  /** True when every step follows its edge's direction. */
  directed: boolean;
}

const search = (
  graph: DependencyGraph,
  from: string,
  to: string,
  directed: boolean,
): GraphPath | undefined => {
  const came = new Map<string, PathStep | undefined>([[from, undefined]]);
  const queue = [from];
  for (const id of queue) {
    if (id === to) break;
    const steps: PathStep[] = edgesOut(graph, id).map((edge) => ({ edge, forward: true }));
    if (!directed) for (const edge of edgesIn(graph, id)) steps.push({ edge, forward: false });
    for (const step of steps) {
      const next = step.forward ? step.edge.to : step.edge.from;
      if (came.has(next)) continue;
      came.set(next, step);
      queue.push(next);
    }
  }
  if (!came.has(to)) return undefined;
  const nodes = [to];
  const steps: PathStep[] = [];
  for (let step = came.get(to); step !== undefined; step = came.get(nodes[0] as string)) {
    steps.unshift(step);
    nodes.unshift(step.forward ? step.edge.from : step.edge.to);
  }
  return { nodes, steps, directed: steps.every((s) => s.forward) };
};

/**
 * `convoy deps why`: the shortest path from one node to another, following edge directions when
 * such a path exists, else walking edges either way. Undefined when the nodes are not connected.
 */
export const shortestPath = (graph: DependencyGraph, from: string, to: string): GraphPath | undefined => {
  if (!graph.nodes.has(from) || !graph.nodes.has(to)) return undefined;
  return search(graph, from, to, true) ?? search(graph, from, to, false);
};
