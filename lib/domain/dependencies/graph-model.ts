/** Node kinds, in the order pictures list them. A new kind is one entry here plus a contributor. */
export const NODE_KINDS = ['team', 'namespace', 'service', 'key', 'flag', 'bundle', 'environment'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export const EDGE_KINDS = [
  'owns',
  'contains',
  'consumes',
  'references',
  'requires',
  'dependsOn',
  'prerequisite',
  'changes',
  'runs',
] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

export interface GraphNode {
  /** Stable and unique: `key:payments.checkout.timeoutMs`, `bundle:checkout-timeouts@3`. */
  id: string;
  kind: NodeKind;
  name: string;
  /** The owning team, where there is one (namespace, key, service, bundle, flag). */
  team?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** `references`: the environments whose HEAD values hold the reference (sorted). */
  environments?: string[];
  /** `requires`: the semver range the target must satisfy. */
  range?: string;
  /** `runs`: the version the environment runs. */
  version?: string;
}

/**
 * An immutable dependency graph with adjacency both ways. Edges out of and into a node are kept
 * in insertion order; pictures sort them.
 */
export interface DependencyGraph {
  nodes: ReadonlyMap<string, GraphNode>;
  out: ReadonlyMap<string, readonly GraphEdge[]>;
  in: ReadonlyMap<string, readonly GraphEdge[]>;
  edgeCount: number;
}

/** A selection of nodes and the edges between them (focus, pictures). */
export interface Subgraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const nodeId = (kind: NodeKind, name: string): string => `${kind}:${name}`;
/** The name inside an id (kinds contain no colon): cheaper than looking the node up. */
export const nameOf = (id: string): string => id.slice(id.indexOf(':') + 1);

const NONE: readonly GraphEdge[] = Object.freeze([]);
export const edgesOut = (graph: DependencyGraph, id: string): readonly GraphEdge[] =>
  graph.out.get(id) ?? NONE;
export const edgesIn = (graph: DependencyGraph, id: string): readonly GraphEdge[] => graph.in.get(id) ?? NONE;

/** An edge holds in `environment` unless it is a reference that other environments hold. */
export const holdsIn = (edge: GraphEdge, environment: string | undefined): boolean =>
  environment === undefined || edge.environments === undefined || edge.environments.includes(environment);

/** Ids are unique, and so is (from, to, kind): neither order ever sees a tie. */
export const compareNodes = (a: GraphNode, b: GraphNode): number => (a.id < b.id ? -1 : 1);

const edgeSortKey = (edge: GraphEdge): string => `${edge.from}\u0000${edge.to}\u0000${edge.kind}`;
export const compareEdges = (a: GraphEdge, b: GraphEdge): number =>
  edgeSortKey(a) < edgeSortKey(b) ? -1 : 1;

/** The whole graph as a sorted subgraph (for pictures of small catalogs). */
export const toSubgraph = (graph: DependencyGraph): Subgraph => ({
  nodes: [...graph.nodes.values()].sort(compareNodes),
  edges: [...graph.out.values()].flat().sort(compareEdges),
});
