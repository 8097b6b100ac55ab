import type { DependencyGraph, EdgeKind, GraphEdge, GraphNode, NodeKind } from './graph-model.ts';
import { nodeId } from './graph-model.ts';

/**
 * Collects nodes and edges. Nodes are created on first mention, so an edge to a key the catalog
 * does not declare still lands; a later mention may fill in the owning team. Edges are
 * deduplicated by (from, kind, to); a repeated `references` edge gains environments.
 */
export class GraphBuilder {
  readonly nodes = new Map<string, GraphNode>();
  private readonly out = new Map<string, GraphEdge[]>();
  private readonly in = new Map<string, GraphEdge[]>();
  private readonly edges = new Map<string, GraphEdge>();

  node(kind: NodeKind, name: string, team?: string): string {
    const id = nodeId(kind, name);
    const existing = this.nodes.get(id);
    if (existing === undefined)
      this.nodes.set(id, team === undefined ? { id, kind, name } : { id, kind, name, team });
    else if (existing.team === undefined && team !== undefined) existing.team = team;
    return id;
  }

  edge(
    from: string,
    kind: EdgeKind,
    to: string,
    details: Omit<GraphEdge, 'from' | 'to' | 'kind'> = {},
  ): void {
    const id = `${from}\u0000${kind}\u0000${to}`;
    const existing = this.edges.get(id);
    if (existing !== undefined) {
      if (existing.environments !== undefined && details.environments !== undefined)
        existing.environments.push(...details.environments);
      return;
    }
    const edge: GraphEdge = { from, to, kind, ...details };
    if (edge.environments) edge.environments = [...edge.environments];
    this.edges.set(id, edge);
    push(this.out, from, edge);
    push(this.in, to, edge);
  }

  build(): DependencyGraph {
    for (const edge of this.edges.values()) edge.environments?.sort();
    return { nodes: this.nodes, out: this.out, in: this.in, edgeCount: this.edges.size };
  }
}

const push = (map: Map<string, GraphEdge[]>, id: string, edge: GraphEdge): void => {
  const list = map.get(id);
  if (list) list.push(edge);
  else map.set(id, [edge]);
};
