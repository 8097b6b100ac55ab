import dagre from '@dagrejs/dagre';
import type { GraphEdge, GraphNode, Subgraph } from '#domain/dependencies/graph-model.ts';

/** Labels are drawn in a monospace font, so a box's width follows from its label's length. */
export const FONT_SIZE = 12;
const CHAR_WIDTH = FONT_SIZE * 0.62;
const PADDING_X = 10;
export const NODE_HEIGHT = 34;

export interface PlacedNode {
  node: GraphNode;
  /** Top-left corner and size of the box. */
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
}

export interface PlacedEdge {
  edge: GraphEdge;
  points: { x: number; y: number }[];
}

export interface Placement {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

/** The second line of a box: its kind, and its team when it has one. */
export const captionOf = (node: GraphNode): string =>
  node.team === undefined || node.kind === 'team' ? node.kind : `${node.kind} · ${node.team}`;

/**
 * Positions for a subgraph, by dagre (a layered, Sugiyama-style layout: ranks along the edges,
 * crossings reduced, boxes never overlapping). Left to right, as the edges read: team → owns → …
 */
export const place = (graph: Subgraph): Placement => {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 70, edgesep: 8, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const shown = new Set<string>();
  for (const node of graph.nodes) {
    const chars = Math.max(node.name.length, captionOf(node).length);
    g.setNode(node.id, { width: Math.ceil(chars * CHAR_WIDTH + 2 * PADDING_X), height: NODE_HEIGHT });
    shown.add(node.id);
  }
  const edges = graph.edges.filter((e) => shown.has(e.from) && shown.has(e.to) && e.from !== e.to);
  edges.forEach((edge, i) => g.setEdge(edge.from, edge.to, {}, String(i)));
  dagre.layout(g);
  const nodes = graph.nodes.map((node) => {
    const at = g.node(node.id) as { x: number; y: number; width: number; height: number };
    return {
      node,
      x: at.x - at.width / 2,
      y: at.y - at.height / 2,
      width: at.width,
      height: at.height,
      label: node.name,
    };
  });
  const placedEdges = edges.map((edge, i) => ({
    edge,
    points: (g.edge(edge.from, edge.to, String(i)) as { points?: { x: number; y: number }[] }).points ?? [],
  }));
  const size = g.graph() as { width?: number; height?: number };
  return { nodes, edges: placedEdges, width: size.width ?? 0, height: size.height ?? 0 };
};
