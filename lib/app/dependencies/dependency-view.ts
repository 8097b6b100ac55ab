import type { Catalog } from '#domain/catalog/catalog.ts';
import { notFound } from '#domain/core/errors.ts';
import { focus, shortestPath } from '#domain/dependencies/focus.ts';
import type { GraphPath } from '#domain/dependencies/focus.ts';
import type { DependencyGraph, GraphNode, NodeKind, Subgraph } from '#domain/dependencies/graph-model.ts';
import { compareEdges, compareNodes, edgesOut } from '#domain/dependencies/graph-model.ts';
import type { Deps } from '../deps.ts';
import { readDependencyState } from './dependency-state.ts';

export interface DependencyViewQuery {
  focus?: string | undefined;
  depth: number;
  kinds?: readonly NodeKind[] | undefined;
}

export interface DependencyView {
  subgraph: Subgraph;
  totals: { nodes: number; edges: number };
}

/** The nodes of the given kinds (all without kinds) and the edges between them. */
const wholeGraph = (graph: DependencyGraph, kinds?: readonly NodeKind[]): Subgraph => {
  const nodes: GraphNode[] = [];
  for (const node of graph.nodes.values())
    if (kinds === undefined || kinds.includes(node.kind)) nodes.push(node);
  const shown = new Set(nodes.map((n) => n.id));
  const edges = nodes.flatMap((n) => edgesOut(graph, n.id).filter((e) => shown.has(e.to)));
  return { nodes: nodes.sort(compareNodes), edges: edges.sort(compareEdges) };
};

/**
 * `GET /dependencies`: the part of the live dependency graph within `depth` of `focus`, or the
 * whole graph; an unknown focus is not-found naming it.
 */
export const dependencyView = async (
  deps: Deps,
  catalog: Catalog,
  query: DependencyViewQuery,
): Promise<DependencyView> => {
  const { graph } = await readDependencyState(deps, catalog);
  if (query.focus !== undefined && !graph.nodes.has(query.focus))
    throw notFound(`No node ${query.focus} in the dependency graph.`, { focus: query.focus });
  const subgraph =
    query.focus === undefined
      ? wholeGraph(graph, query.kinds)
      : focus(graph, query.focus, query.depth, query.kinds);
  return { subgraph, totals: { nodes: graph.nodes.size, edges: graph.edgeCount } };
};

/** `GET /dependencies/path`: the shortest path between two nodes (directed when one exists), or not-found. */
export const dependencyPath = async (
  deps: Deps,
  catalog: Catalog,
  from: string,
  to: string,
): Promise<GraphPath> => {
  const { graph } = await readDependencyState(deps, catalog);
  for (const id of [from, to])
    if (!graph.nodes.has(id)) throw notFound(`No node ${id} in the dependency graph.`, { node: id });
  const path = shortestPath(graph, from, to);
  if (path === undefined) throw notFound(`${from} and ${to} are not connected.`, { from, to });
  return path;
};
