import type { DependencyGraph, GraphEdge, GraphNode } from './graph-model.ts';
import { EDGE_KINDS, NODE_KINDS, nameOf } from './graph-model.ts';
import { namespaceOf } from '../core/names.ts';

/** The edges of every node one way, as compressed sparse rows over node numbers. */
export interface Adjacency {
  /** The edges of node i are positions start[i] .. start[i + 1] - 1 (in the graph's own order). */
  start: Int32Array;
  /** The node at the other end of each edge. */
  other: Int32Array;
  /** The edge's kind, as its position in EDGE_KINDS. */
  kind: Uint8Array;
  edge: readonly GraphEdge[];
}

/**
 * A dependency graph with its nodes numbered, for walks over large graphs without string keys:
 * adjacency both ways as typed arrays, and each node's position in id order (so sorting by id is
 * sorting numbers). Every id the graph names is numbered, edge ends it holds no node for included.
 */
export interface GraphIndex {
  size: number;
  ids: readonly string[];
  numberOf: ReadonlyMap<string, number>;
  /** The node of each number; undefined for an edge end the graph holds no node for. */
  nodes: readonly (GraphNode | undefined)[];
  /** The name inside each id. */
  names: readonly string[];
  /** The kind in each id (the part before its first colon) as its position in NODE_KINDS; NO_KIND if none. */
  kinds: Uint8Array;
  /** The owning team of each node as its position in `teamNames`, -1 if none. */
  teams: Int32Array;
  teamNames: readonly string[];
  /** The namespace of each name as its position in `namespaceNames`, -1 until asked (namespaceNumber). */
  namespaces: Int32Array;
  namespaceNames: string[];
  namespaceNumbers: Map<string, number>;
  /** Work arrays reused by the walks over this graph (see scratch). */
  scratch: Int32Array[];
  /** rank[i]: the position of ids[i] among the ids sorted by code unit; byRank is its inverse. */
  rank: Int32Array;
  byRank: Int32Array;
  out: Adjacency;
  in: Adjacency;
}

export const EDGE_CODE: Readonly<Record<GraphEdge['kind'], number>> = Object.fromEntries(
  EDGE_KINDS.map((kind, i) => [kind, i]),
) as Record<GraphEdge['kind'], number>;

export const NO_KIND = 255;
export const KIND_CODE: Readonly<Record<GraphNode['kind'], number>> = Object.fromEntries(
  NODE_KINDS.map((kind, i) => [kind, i]),
) as Record<GraphNode['kind'], number>;
const kindCodes = new Map<string, number>(NODE_KINDS.map((kind, i) => [kind, i]));

const adjacency = (
  lists: ReadonlyMap<string, readonly GraphEdge[]>,
  numberOf: ReadonlyMap<string, number>,
  size: number,
  end: 'from' | 'to',
): Adjacency => {
  const start = new Int32Array(size + 1);
  let total = 0;
  for (const [id, list] of lists) {
    start[(numberOf.get(id) as number) + 1] = list.length;
    total += list.length;
  }
  for (let i = 0; i < size; i += 1) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  const other = new Int32Array(total);
  const kind = new Uint8Array(total);
  const edge = new Array<GraphEdge>(total);
  for (const [id, list] of lists) {
    let at = start[numberOf.get(id) as number] as number;
    for (const e of list) {
      other[at] = numberOf.get(e[end]) as number;
      kind[at] = EDGE_CODE[e.kind];
      edge[at] = e;
      at += 1;
    }
  }
  return { start, other, kind, edge };
};

const build = (graph: DependencyGraph): GraphIndex => {
  const ids = [...graph.nodes.keys()];
  const numberOf = new Map<string, number>();
  ids.forEach((id, i) => numberOf.set(id, i));
  for (const lists of [graph.out, graph.in])
    for (const id of lists.keys())
      if (!numberOf.has(id)) {
        numberOf.set(id, ids.length);
        ids.push(id);
      }
  const size = ids.length;
  const byRank = new Int32Array(size);
  const rank = new Int32Array(size);
  // A native sort of the ids, then back to numbers: much faster than sorting numbers by their ids.
  [...ids].sort().forEach((id, r) => {
    const i = numberOf.get(id) as number;
    byRank[r] = i;
    rank[i] = r;
  });
  const nodes = ids.map((id) => graph.nodes.get(id));
  const kinds = new Uint8Array(size);
  const teams = new Int32Array(size).fill(-1);
  const teamNumbers = new Map<string, number>();
  ids.forEach((id, i) => {
    kinds[i] = kindCodes.get(id.slice(0, id.indexOf(':'))) ?? NO_KIND;
    const team = nodes[i]?.team;
    if (team === undefined) return;
    let t = teamNumbers.get(team);
    if (t === undefined) {
      t = teamNumbers.size;
      teamNumbers.set(team, t);
    }
    teams[i] = t;
  });
  return {
    size,
    ids,
    numberOf,
    nodes,
    names: ids.map((id) => nameOf(id)),
    kinds,
    teams,
    teamNames: [...teamNumbers.keys()],
    namespaces: new Int32Array(size).fill(-1),
    namespaceNames: [],
    namespaceNumbers: new Map(),
    scratch: [],
    rank,
    byRank,
    out: adjacency(graph.out, numberOf, size, 'to'),
    in: adjacency(graph.in, numberOf, size, 'from'),
  };
};

const indexes = new WeakMap<DependencyGraph, GraphIndex>();

/**
 * The index of a graph, built on first use and kept while the graph lives (graphs are immutable
 * once built), so repeated impact questions over one graph pay for it once.
 */
export const graphIndex = (graph: DependencyGraph): GraphIndex => {
  let index = indexes.get(graph);
  if (index === undefined) {
    index = build(graph);
    indexes.set(graph, index);
  }
  return index;
};

/** Sorts node numbers by id, in place (numbers of one graph, each at most once). */
export const sortById = (index: GraphIndex, numbers: Int32Array): Int32Array => {
  for (let j = 0; j < numbers.length; j += 1) numbers[j] = index.rank[numbers[j] as number] as number;
  numbers.sort();
  for (let j = 0; j < numbers.length; j += 1) numbers[j] = index.byRank[numbers[j] as number] as number;
  return numbers;
};

/** The number of the namespace of node `n`'s name (its first dot segment), worked out once per node. */
export const namespaceNumber = (index: GraphIndex, n: number): number => {
  const known = index.namespaces[n] as number;
  if (known !== -1) return known;
  const namespace = namespaceOf(index.names[n] as string);
  let number = index.namespaceNumbers.get(namespace);
  if (number === undefined) {
    number = index.namespaceNames.length;
    index.namespaceNames.push(namespace);
    index.namespaceNumbers.set(namespace, number);
  }
  index.namespaces[n] = number;
  return number;
};

/**
 * A work array of at least `length` numbers, kept with the index and reused: walks over a large
 * graph then allocate nothing in proportion to it (large typed arrays per call make the collector
 * sweep the whole graph often). Contents are left from the last use. The walks are synchronous and
 * never nested, and each uses its own slots, so no two users share an array at once.
 */
export const scratch = (index: GraphIndex, slot: number, length: number): Int32Array => {
  const found = index.scratch[slot];
  if (found !== undefined && found.length >= length) return found;
  const made = new Int32Array(length);
  index.scratch[slot] = made;
  return made;
};

/** The scratch slots, one per user. */
export const SLOT = {
  walkParent: 0,
  walkDepth: 1,
  walkQueue: 2,
  reachLocal: 3,
  reachNodes: 4,
  reachStart: 5,
  reachTarget: 6,
  touched: 7,
} as const;
