import type { GraphNode, NodeKind, Subgraph } from '#domain/dependencies/graph-model.ts';
import { edgeLabel, layout, oneLine } from './dependency-labels.ts';

const SHAPES: Record<NodeKind, [string, string]> = {
  team: ['([', '])'],
  namespace: ['[[', ']]'],
  service: ['[', ']'],
  key: ['(', ')'],
  flag: ['{', '}'],
  bundle: ['{{', '}}'],
  environment: ['[(', ')]'],
};

/**
 * A Mermaid quoted label: anything but plain letters, digits and a few safe marks becomes an
 * entity code (`#34;`), so quotes, brackets, pipes, `#`, `;` or `-->` in a name cannot break out.
 */
export const mermaidQuote = (text: string): string =>
  `"${oneLine(text).replace(/[^A-Za-z0-9 ._:@/,+-]/gu, (char) => `#${char.codePointAt(0)};`)}"`;

/**
 * A Mermaid flowchart of a subgraph. Node ids are positional (`n0`, `n1`, … in sorted order) since
 * Mermaid ids cannot carry arbitrary text; names go in quoted labels. One subgraph per team.
 */
export const toMermaid = (graph: Subgraph): string => {
  const { clusters, loose, edges } = layout(graph);
  const ids = new Map<string, string>();
  const nodeLine = (node: GraphNode, indent: string): string => {
    const [open, close] = SHAPES[node.kind];
    return `${indent}${ids.get(node.id) as string}${open}${mermaidQuote(node.name)}${close}`;
  };
  for (const node of [...clusters.flatMap(([, nodes]) => nodes), ...loose]) ids.set(node.id, `n${ids.size}`);
  const lines = ['flowchart LR'];
  clusters.forEach(([team, nodes], index) => {
    lines.push(`  subgraph c${index}[${mermaidQuote(team)}]`);
    for (const node of nodes) lines.push(nodeLine(node, '    '));
    lines.push('  end');
  });
  for (const node of loose) lines.push(nodeLine(node, '  '));
  for (const edge of edges)
    lines.push(
      `  ${ids.get(edge.from) as string} -->|${mermaidQuote(edgeLabel(edge))}| ${ids.get(edge.to) as string}`,
    );
  return `${lines.join('\n')}\n`;
};
