import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { namespaceOf } from '#domain/core/names.ts';
import { csrComponents } from '#domain/dependencies/csr-components.ts';
import { GraphBuilder } from '#domain/dependencies/graph-builder.ts';
import {
  EDGE_CODE,
  graphIndex,
  KIND_CODE,
  namespaceNumber,
  NO_KIND,
} from '#domain/dependencies/graph-index.ts';
import type { Adjacency, GraphIndex } from '#domain/dependencies/graph-index.ts';
import { EDGE_KINDS, NODE_KINDS, edgesIn, edgesOut } from '#domain/dependencies/graph-model.ts';
import type { DependencyGraph, GraphEdge } from '#domain/dependencies/graph-model.ts';
import { impact } from '#domain/dependencies/impact.ts';
import { stronglyConnected } from '#domain/dependencies/strongly-connected.ts';

interface RandomGraph {
  nodes: { kind: (typeof NODE_KINDS)[number]; team?: string | undefined }[];
  edges: { from: number; to: number; kind: (typeof EDGE_KINDS)[number] }[];
}

/** Random graphs of every node and edge kind, with edges to ids the graph holds no node for. */
const randomGraph = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.record({
    nodes: fc.array(
      fc.record({
        kind: fc.constantFrom(...NODE_KINDS),
        team: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
      }),
      { minLength: n, maxLength: n },
    ),
    edges: fc.array(
      fc.record({
        from: fc.nat(n + 1),
        to: fc.nat(n + 1),
        kind: fc.constantFrom(...EDGE_KINDS),
      }),
      { maxLength: 40 },
    ),
  }),
);

const build = ({ nodes, edges }: RandomGraph): DependencyGraph => {
  const builder = new GraphBuilder();
  const ids = nodes.map(({ kind, team }, i) => builder.node(kind, `ns${i % 3}.k${i}`, team));
  ids.push('loose', 'key:ghost.k');
  for (const { from, to, kind } of edges) builder.edge(ids[from] as string, kind, ids[to] as string);
  return builder.build();
};

const neighbours = (index: GraphIndex, adjacency: Adjacency, n: number) => {
  const found: { other: string; kind: string; edge: GraphEdge | undefined }[] = [];
  for (let e = adjacency.start[n] as number; e < (adjacency.start[n + 1] as number); e += 1)
    found.push({
      other: index.ids[adjacency.other[e] as number] as string,
      kind: EDGE_KINDS[adjacency.kind[e] as number] as string,
      edge: adjacency.edge[e],
    });
  return found;
};

const every = (graph: DependencyGraph): Set<string> =>
  new Set([...graph.nodes.keys(), ...graph.out.keys(), ...graph.in.keys()]);

describe('graph index', () => {
  it("holds each node's edges both ways, in the graph's order, with kinds, teams and id order", () => {
    fc.assert(
      fc.property(randomGraph, (random) => {
        const graph = build(random);
        const index = graphIndex(graph);
        expect(graphIndex(graph)).toBe(index);
        expect(new Set(index.ids)).toEqual(every(graph));
        expect(index.size).toBe(index.ids.length);
        index.ids.forEach((id, n) => {
          expect(index.numberOf.get(id)).toBe(n);
          expect(index.nodes[n]).toBe(graph.nodes.get(id));
          const view = (e: GraphEdge, end: 'from' | 'to') => ({ other: e[end], kind: e.kind, edge: e });
          expect(neighbours(index, index.out, n)).toEqual(edgesOut(graph, id).map((e) => view(e, 'to')));
          expect(neighbours(index, index.in, n)).toEqual(edgesIn(graph, id).map((e) => view(e, 'from')));
          const prefix = id.includes(':') ? id.slice(0, id.indexOf(':')) : undefined;
          const kind = NODE_KINDS.findIndex((k) => k === prefix);
          expect(index.kinds[n]).toBe(kind === -1 ? NO_KIND : kind);
          const team = graph.nodes.get(id)?.team;
          expect(team === undefined ? -1 : index.teamNames[index.teams[n] as number]).toBe(team ?? -1);
          expect(index.namespaceNames[namespaceNumber(index, n)]).toBe(namespaceOf(index.names[n] as string));
        });
        expect([...index.byRank].map((n) => index.ids[n])).toEqual([...index.ids].sort());
        index.byRank.forEach((n, r) => {
          expect(index.rank[n]).toBe(r);
        });
        expect(index.out.start[index.size]).toBe(graph.edgeCount);
        expect(index.in.start[index.size]).toBe(graph.edgeCount);
      }),
    );
  });

  it('numbers edge and node kinds by their position in the model', () => {
    EDGE_KINDS.forEach((kind, i) => {
      expect(EDGE_CODE[kind]).toBe(i);
    });
    NODE_KINDS.forEach((kind, i) => {
      expect(KIND_CODE[kind]).toBe(i);
    });
  });
});

describe('csrComponents', () => {
  it('finds the same strongly connected components as the string version, dependencies first', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 12 })
          .chain((n) =>
            fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 40 })),
          ),
        ([n, pairs]) => {
          const targets = Array.from({ length: n }, () => [] as number[]);
          for (const [a, b] of pairs) targets[a]?.push(b);
          const start = new Int32Array(n + 1);
          targets.forEach((t, i) => (start[i + 1] = (start[i] as number) + t.length));
          const components = csrComponents({ count: n, start, target: Int32Array.from(targets.flat()) });
          const named = new Map(targets.map((t, i) => [`n${i}`, t.map((j) => `n${j}`)]));
          const expected = stronglyConnected(named).map((c) => new Set(c.map((id) => Number(id.slice(1)))));
          const found = Array.from({ length: components.count }, (_, c) => {
            const members = new Set<number>();
            components.of.forEach((of, v) => of === c && members.add(v));
            return members;
          });
          expect(new Set(found.map((s) => [...s].sort().join()))).toEqual(
            new Set(expected.map((s) => [...s].sort().join())),
          );
          for (const [a, b] of pairs)
            expect(components.of[b] as number).toBeLessThanOrEqual(components.of[a] as number);
        },
      ),
    );
  });
});

describe('impact over ids of no known kind and changers that are not bundles', () => {
  it('sorts names as strings where one id prefix does not hold', () => {
    const builder = new GraphBuilder();
    const bundle = builder.node('bundle', 'one@1', 't');
    const a = builder.node('key', 'ns.b');
    const service = builder.node('service', 'reader');
    // Nodes whose ids do not follow kind:name (hand-built graphs may hold them).
    for (const id of ['odd:ns.a', 'plain']) builder.nodes.set(id, { id, kind: 'key', name: id });
    for (const key of [a, 'odd:ns.a', 'plain']) {
      builder.edge(bundle, 'changes', key);
      builder.edge(service, 'consumes', key);
    }
    builder.edge(builder.node('flag', 'zeta'), 'changes', a);
    builder.edge(builder.node('bundle', 'alpha@1'), 'changes', 'plain');
    const result = impact(builder.build(), { bundles: ['one@1'] }, { now: new Date(0) });
    expect(result.changed).toEqual(['ns.b', 'ns.a', 'plain']);
    expect(result.services).toEqual([{ service: 'reader', keys: ['ns.a', 'ns.b', 'plain'], runs: [] }]);
    expect(result.bundles).toEqual([
      { bundle: 'alpha@1', sameKeys: ['plain'], affectedKeys: [] },
      { bundle: 'zeta', sameKeys: ['ns.b'], affectedKeys: [] },
    ]);
  });
});
