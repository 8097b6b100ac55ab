import type { GraphNode, NodeKind, Subgraph } from '#domain/dependencies/graph-model.ts';
import { edgeLabel, layout, oneLine } from './dependency-labels.ts';

const SHAPES: Record<NodeKind, string> = {
  team: 'tab',
  namespace: 'folder',
  service: 'component',
  key: 'box',
  flag: 'diamond',
  bundle: 'box3d',
  environment: 'cylinder',
};

/** A DOT quoted string: backslashes and quotes escaped, one line. */
export const dotQuote = (text: string): string => `"${oneLine(text).replace(/[\\"]/g, '\\$&')}"`;

const nodeLine = (node: GraphNode, indent: string): string =>
  `${indent}${dotQuote(node.id)} [label=${dotQuote(node.name)}, shape=${SHAPES[node.kind]}];`;

/**
 * Graphviz DOT of a subgraph: one cluster per team (its nodes, the team included), other nodes
 * after, then the edges labelled with their kind. Sorted throughout, so equal graphs give equal text.
 */
export const toDot = (graph: Subgraph): string => {
  const { clusters, loose, edges } = layout(graph);
  const lines = ['digraph dependencies {', '  rankdir=LR;', '  node [fontname="Helvetica"];'];
  for (const [team, nodes] of clusters) {
    lines.push(`  subgraph ${dotQuote(`cluster_${team}`)} {`, `    label=${dotQuote(team)};`);
    for (const node of nodes) lines.push(nodeLine(node, '    '));
    lines.push('  }');
  }
  for (const node of loose) lines.push(nodeLine(node, '  '));
  for (const edge of edges)
    lines.push(`  ${dotQuote(edge.from)} -> ${dotQuote(edge.to)} [label=${dotQuote(edgeLabel(edge))}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
};
