import { focus as around } from '#domain/dependencies/focus.ts';
import type { DependencyGraph, GraphNode, NodeKind, Subgraph } from '#domain/dependencies/graph-model.ts';
import { toSubgraph } from '#domain/dependencies/graph-model.ts';

export interface VisibleQuery {
  focus?: string | undefined;
  depth: number;
  kinds: ReadonlySet<NodeKind>;
  /** Teams whose nodes are hidden (a team node, and the nodes it owns). */
  hiddenTeams: ReadonlySet<string>;
  /** At most this many nodes are laid out at once. */
  maxNodes: number;
}

export interface Visible {
  subgraph: Subgraph;
  focus?: string | undefined;
  /** The depth shown: less than asked when the neighbourhood was too large. */
  depth: number;
  /** Why the picture shows less than asked, for the person reading it. */
  notice?: string;
}

const teamOf = (node: GraphNode): string | undefined => (node.kind === 'team' ? node.name : node.team);

/**
 * Where a graph too large to draw whole is first shown from: the first team (what it owns is a
 * person's natural way in), else the first node.
 */
const entryOf = (graph: DependencyGraph): string | undefined => {
  let first: string | undefined;
  for (const node of graph.nodes.values())
    if (node.kind === 'team' && (first === undefined || node.id < first)) first = node.id;
  return first ?? graph.nodes.keys().next().value;
};

const filtered = (graph: DependencyGraph, query: VisibleQuery, center: string | undefined, depth: number) => {
  const kinds = [...query.kinds];
  const base =
    center === undefined
      ? toSubgraph(graph)
      : around(graph, center, depth, kinds.length === 0 ? undefined : kinds);
  const keep = (node: GraphNode): boolean => {
    if (node.id === center) return true;
    const team = teamOf(node);
    return query.kinds.has(node.kind) && (team === undefined || !query.hiddenTeams.has(team));
  };
  const nodes = base.nodes.filter(keep);
  const shown = new Set(nodes.map((n) => n.id));
  return { nodes, edges: base.edges.filter((e) => shown.has(e.from) && shown.has(e.to)) };
};

/**
 * What the picture shows: the focus's neighbourhood (or the whole graph), less the hidden kinds and
 * teams. A picture over `maxNodes` is not laid out whole: the depth shrinks until it fits, and a
 * graph with no focus is shown from its first team; `notice` says so.
 */
export const visibleOf = (graph: DependencyGraph, query: VisibleQuery): Visible => {
  const center = query.focus !== undefined && graph.nodes.has(query.focus) ? query.focus : undefined;
  let subgraph = filtered(graph, query, center, query.depth);
  if (subgraph.nodes.length <= query.maxNodes) return { subgraph, focus: center, depth: query.depth };
  const start = center ?? entryOf(graph);
  let depth = center === undefined ? Math.min(query.depth, 2) : query.depth - 1;
  for (; depth >= 0; depth -= 1) {
    subgraph = filtered(graph, query, start, depth);
    if (subgraph.nodes.length <= query.maxNodes || depth === 0) break;
  }
  const total = center === undefined ? `all ${graph.nodes.size} nodes` : `depth ${query.depth}`;
  const notice =
    `Too many nodes to lay out at once (${total} is over ${query.maxNodes}): showing ` +
    `${start ?? ''} at depth ${Math.max(depth, 0)}. Focus on a node or filter kinds and teams to see more.`;
  return { subgraph, focus: start, depth: Math.max(depth, 0), notice };
};
