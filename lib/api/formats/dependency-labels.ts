import type { GraphEdge, GraphNode, Subgraph } from '#domain/dependencies/graph-model.ts';
import { compareEdges, compareNodes } from '#domain/dependencies/graph-model.ts';

/** An edge's label: its kind and what qualifies it (environments, range, version). */
export const edgeLabel = (edge: GraphEdge): string => {
  if (edge.environments) return `${edge.kind} [${edge.environments.join(', ')}]`;
  if (edge.range !== undefined) return `${edge.kind} ${edge.range}`;
  if (edge.version !== undefined) return `${edge.kind} ${edge.version}`;
  return edge.kind;
};

/** The team a node is drawn with: its owner, or itself for a team. */
export const clusterOf = (node: GraphNode): string | undefined =>
  node.kind === 'team' ? node.name : node.team;

export interface Layout {
  /** Team → its nodes, teams sorted. */
  clusters: [string, GraphNode[]][];
  /** Nodes that belong to no team. */
  loose: GraphNode[];
  edges: GraphEdge[];
}

/** Sorted nodes grouped by team and sorted edges between them, so that pictures are byte-for-byte deterministic. */
export const layout = (graph: Subgraph): Layout => {
  const clusters = new Map<string, GraphNode[]>();
  const loose: GraphNode[] = [];
  const shown = new Set(graph.nodes.map((node) => node.id));
  for (const node of [...graph.nodes].sort(compareNodes)) {
    const team = clusterOf(node);
    if (team === undefined) loose.push(node);
    else clusters.set(team, [...(clusters.get(team) ?? []), node]);
  }
  return {
    clusters: [...clusters].sort(([a], [b]) => (a < b ? -1 : 1)),
    loose,
    // An edge to a node outside the selection would conjure an unlabelled node: leave it out.
    edges: graph.edges.filter((e) => shown.has(e.from) && shown.has(e.to)).sort(compareEdges),
  };
};

/** Control characters (newlines included) become spaces: labels stay on one line. */
export const oneLine = (text: string): string => text.replace(/\p{Cc}/gu, ' ');
