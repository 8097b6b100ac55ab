import { sample, type BenchCase } from '../bench-case.ts';
import type { Bundle } from '#domain/bundles/bundle.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import type { JsonValue } from '#domain/core/json.ts';
import { buildDependencyGraph } from '#domain/dependencies/graph.ts';
import { GraphBuilder } from '#domain/dependencies/graph-builder.ts';
import { graphIndex } from '#domain/dependencies/graph-index.ts';
import type { DependencyGraph } from '#domain/dependencies/graph-model.ts';
import { impact } from '#domain/dependencies/impact.ts';

/** Deterministic numbers (mulberry32), so every run measures the same graph. */
const random = (seed: number): ((below: number) => number) => {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
};

const ENVIRONMENTS = ['dev', 'staging', 'prod-eu', 'prod-us', 'prod-ap'];
const TEAMS = 50;
const NAMESPACES = 500;
const SERVICES = 2_000;
const BUNDLES = 7_445;
const KEYS = 90_000;
const key = (i: number): string => `ns${i % NAMESPACES}.group${Math.floor(i / 1000)}.k${i}`;

/**
 * 100,000 nodes (keys, bundles, services, namespaces, teams, environments) and about 500,000
 * edges; references are random across namespaces, so they form large cycles and long chains.
 */
export const syntheticGraph = (): DependencyGraph => {
  const next = random(42);
  const g = new GraphBuilder();
  const team = (i: number): string => g.node('team', `team${i % TEAMS}`);
  for (let n = 0; n < NAMESPACES; n += 1)
    g.edge(team(n), 'owns', g.node('namespace', `ns${n}`, `team${n % TEAMS}`));
  for (let i = 0; i < KEYS; i += 1)
    g.edge(`namespace:ns${i % NAMESPACES}`, 'contains', g.node('key', key(i)));
  for (let s = 0; s < SERVICES; s += 1) {
    const service = g.node('service', `svc${s}`, `team${s % TEAMS}`);
    g.edge(team(s), 'owns', service);
    for (let c = 0; c < 90; c += 1)
      g.edge(service, 'consumes', `key:${key((s % NAMESPACES) + NAMESPACES * next(180))}`);
    for (const environment of ENVIRONMENTS)
      g.edge(g.node('environment', environment), 'runs', service, { version: `1.${next(10)}.0` });
  }
  for (let r = 0; r < 205_000; r += 1)
    g.edge(`key:${key(next(KEYS))}`, 'references', `key:${key(next(KEYS))}`, {
      environments: [ENVIRONMENTS[next(ENVIRONMENTS.length)] as string],
    });
  for (let b = 0; b < BUNDLES; b += 1) {
    const bundle = g.node('bundle', `b${b}@1`, `team${b % TEAMS}`);
    g.edge(team(b), 'owns', bundle);
    for (let c = 0; c < 4; c += 1) g.edge(bundle, 'changes', `key:${key(next(KEYS))}`);
    if (b > 0) g.edge(bundle, 'dependsOn', `bundle:b${next(b)}@1`);
    g.edge(bundle, 'requires', `service:svc${next(SERVICES)}`, { range: '>=1.0.0' });
  }
  return g.build();
};

/** A catalog of 100,000 keys over 100 namespaces and 10 teams; every tenth default references. */
const largeInput = () => {
  const keyOf = (i: number): string => `ns${i % 100}.group${Math.floor(i / 1000)}.k${i}`;
  const catalog: Catalog = {
    environments: ENVIRONMENTS.map((name) => ({ name })),
    teams: Array.from({ length: 10 }, (_, i) => ({ name: `team${i}` })),
    namespaces: Array.from({ length: 100 }, (_, i) => ({ name: `ns${i}`, owner: `team${i % 10}` })),
    parameters: Array.from({ length: 100_000 }, (_, i) =>
      i % 10 === 9
        ? { key: keyOf(i), type: 'integer' as const, default: `\${${keyOf(i - 1)}}` }
        : { key: keyOf(i), type: 'integer' as const, default: i },
    ),
    services: Array.from({ length: 500 }, (_, s) => ({
      name: `svc${s}`,
      team: `team${s % 10}`,
      consumes: [`ns${s % 100}.group${s % 100}.*`, `ns${(s + 1) % 100}.**`],
    })),
    roles: [],
    strategies: [],
  };
  const snapshots = Object.fromEntries(
    ENVIRONMENTS.map((environment, e) => {
      const values: Record<string, JsonValue> = {};
      for (let i = e; i < 100_000; i += 10)
        values[keyOf(i)] = i % 7 === 0 ? `\${${keyOf((i + 1) % 100_000)}}` : i;
      return [environment, values];
    }),
  );
  const bundles: Bundle[] = Array.from({ length: 1000 }, (_, b) => ({
    name: `b${b}`,
    version: '1',
    release: 'r1',
    team: `team${b % 10}`,
    requires: [],
    dependsOn: b > 0 ? [{ name: `b${b - 1}`, version: '1' }] : [],
    changes: [{ set: keyOf(b * 100), value: 1 }],
  }));
  const versions = Object.fromEntries(
    ENVIRONMENTS.map((e) => [e, Object.fromEntries(catalog.services.map((s) => [s.name, '1.0.0']))]),
  );
  return { catalog, snapshots, bundles, versions };
};

let synthetic: DependencyGraph | undefined;

/** How busy the machine is: 600,000 inserts into a Map of integers (an idle laptop takes ~20 ms). */
const calibrationMs = (): number => {
  const start = performance.now();
  const map = new Map<number, number>();
  for (let i = 0; i < 600_000; i += 1) map.set(i, i);
  return Math.round(performance.now() - start);
};

export const cases: BenchCase[] = [
  {
    name: 'dependency impact over 100k nodes / 500k edges',
    target: 'median <= 250 ms',
    targetMedianMs: 250,
    run: async () => {
      synthetic ??= syntheticGraph();
      const graph = synthetic;
      // The numbered index is built on the first question about a graph and kept for the next ones;
      // POST /impact builds its graph per request, so it pays this once per request.
      const indexStart = performance.now();
      graphIndex(graph);
      const indexMs = performance.now() - indexStart;
      let result = impact(graph, { bundles: ['b7000@1'] }, { now: new Date(0) });
      const samples = await sample(() => {
        result = impact(graph, { bundles: ['b7000@1', 'b10@1', 'b3000@1'] }, { now: new Date(0) });
      }, 15);
      return {
        samples,
        notes: {
          nodes: graph.nodes.size,
          edges: graph.edgeCount,
          affected: result.affected.length,
          services: result.services.length,
          planSteps: result.plan.order.length,
          'index build ms (first question about the graph)': Math.round(indexMs),
          calibrationMs: calibrationMs(),
        },
      };
    },
  },
  {
    name: 'dependency impact over 100k nodes in one environment',
    target: 'median <= 250 ms',
    targetMedianMs: 250,
    run: async () => {
      synthetic ??= syntheticGraph();
      const graph = synthetic;
      return sample(
        () => impact(graph, { bundles: ['b7000@1'] }, { now: new Date(0), environment: 'prod-eu' }),
        15,
      );
    },
  },
  {
    name: 'dependency graph from a 100k-key catalog',
    target: 'report',
    run: async () => {
      const input = largeInput();
      let graph: DependencyGraph | undefined;
      const samples = await sample(
        () => {
          graph = buildDependencyGraph(input);
        },
        5,
        1,
      );
      const notes = {
        nodes: graph?.nodes.size ?? 0,
        edges: graph?.edgeCount ?? 0,
        calibrationMs: calibrationMs(),
      };
      return { samples, notes };
    },
  },
];
