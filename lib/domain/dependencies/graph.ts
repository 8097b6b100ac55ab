import { formatBundleRef, namespaceOf } from '../core/names.ts';
import type { BundleRef } from '../core/names.ts';
import { GraphBuilder } from './graph-builder.ts';
import type { DependencyInput } from './graph-input.ts';
import type { DependencyGraph } from './graph-model.ts';
import { keyMatcher } from './key-patterns.ts';
import { referencesIn } from './references.ts';
import { changedKey } from '../bundles/parse-bundle.ts';

/** One source of nodes and edges. A new node kind is one more contributor. */
type Contributor = (input: DependencyInput, graph: GraphBuilder) => void;

/** Ensures a key node, its namespace and the namespace's `contains` edge; returns the key's id. */
export const keyNode = (graph: GraphBuilder, key: string, owners: ReadonlyMap<string, string>): string => {
  const id = `key:${key}`;
  // Keys are named many times over (values, references, changes): only the first mention links them.
  if (graph.nodes.has(id)) return id;
  const namespace = namespaceOf(key);
  const team = owners.get(namespace);
  graph.edge(graph.node('namespace', namespace, team), 'contains', graph.node('key', key, team));
  return id;
};

const ownersOf = (input: DependencyInput): Map<string, string> => {
  const owners = new Map<string, string>();
  for (const { name, owner } of input.catalog.namespaces) if (!owners.has(name)) owners.set(name, owner);
  return owners;
};

const catalogEntities: Contributor = ({ catalog }, graph) => {
  for (const team of catalog.teams) graph.node('team', team.name);
  for (const environment of catalog.environments) graph.node('environment', environment.name);
  for (const { name, owner } of catalog.namespaces)
    graph.edge(graph.node('team', owner), 'owns', graph.node('namespace', name, owner));
  for (const service of catalog.services)
    graph.edge(graph.node('team', service.team), 'owns', graph.node('service', service.name, service.team));
};

const parameterKeys: Contributor = (input, graph) => {
  const owners = ownersOf(input);
  for (const parameter of input.catalog.parameters) keyNode(graph, parameter.key, owners);
  for (const values of Object.values(input.snapshots ?? {}))
    for (const key of Object.keys(values)) keyNode(graph, key, owners);
};

/** Reference edges per environment: the snapshot's value where set, else the catalog default. */
const referenceEdges: Contributor = (input, graph) => {
  const owners = ownersOf(input);
  const defaults = new Map<string, string[]>();
  for (const parameter of input.catalog.parameters) {
    const refs = parameter.default === undefined ? [] : referencesIn(parameter.default);
    if (refs.length > 0 && !defaults.has(parameter.key)) defaults.set(parameter.key, refs);
  }
  for (const { name: environment } of input.catalog.environments) {
    const values = input.snapshots?.[environment] ?? {};
    const edges = (key: string, refs: readonly string[]): void => {
      const from = keyNode(graph, key, owners);
      for (const ref of refs)
        graph.edge(from, 'references', keyNode(graph, ref, owners), { environments: [environment] });
    };
    for (const [key, refs] of defaults) if (!Object.hasOwn(values, key)) edges(key, refs);
    for (const [key, value] of Object.entries(values)) edges(key, referencesIn(value));
  }
};

const bundleId = (graph: GraphBuilder, ref: BundleRef, team?: string): string =>
  graph.node('bundle', formatBundleRef(ref), team);

const bundleEdges: Contributor = (input, graph) => {
  const owners = ownersOf(input);
  for (const bundle of input.bundles ?? []) {
    const id = bundleId(graph, bundle, bundle.team);
    graph.edge(graph.node('team', bundle.team), 'owns', id);
    for (const change of bundle.changes)
      graph.edge(id, 'changes', keyNode(graph, changedKey(change), owners));
    for (const ref of bundle.dependsOn) graph.edge(id, 'dependsOn', bundleId(graph, ref));
    for (const { service, range } of bundle.requires)
      graph.edge(id, 'requires', graph.node('service', service), { range });
  }
};

const flagEdges: Contributor = (input, graph) => {
  const owners = ownersOf(input);
  for (const flag of input.flags ?? []) {
    const id = graph.node('flag', flag.key, flag.team);
    if (flag.team !== undefined) graph.edge(graph.node('team', flag.team), 'owns', id);
    for (const key of flag.keys ?? []) graph.edge(id, 'references', keyNode(graph, key, owners));
    for (const other of flag.prerequisites ?? []) graph.edge(id, 'prerequisite', graph.node('flag', other));
    for (const { service, range } of flag.requires ?? [])
      graph.edge(id, 'requires', graph.node('service', service), { range });
  }
};

const runEdges: Contributor = (input, graph) => {
  for (const [environment, services] of Object.entries(input.versions ?? {}))
    for (const [service, version] of Object.entries(services))
      graph.edge(graph.node('environment', environment), 'runs', graph.node('service', service), { version });
};

/** Services consume every key node their patterns match; runs last so every key is known. */
const consumeEdges: Contributor = ({ catalog }, graph) => {
  const keys: string[] = [];
  for (const node of graph.nodes.values()) if (node.kind === 'key') keys.push(node.name);
  const match = keyMatcher(keys);
  for (const service of catalog.services) {
    const id = graph.node('service', service.name, service.team);
    for (const pattern of service.consumes)
      for (const key of match(pattern)) graph.edge(id, 'consumes', `key:${key}`);
  }
};

const CONTRIBUTORS: readonly Contributor[] = [
  catalogEntities,
  parameterKeys,
  referenceEdges,
  bundleEdges,
  flagEdges,
  runEdges,
  consumeEdges,
];

/**
 * The dependency graph of a catalog, its environments' HEAD values, the pushed bundles, the
 * services' running versions and (when given) flags. Linear in the inputs plus the edges, except
 * pattern matching, which tests only the keys sharing each pattern's literal prefix.
 */
export const buildDependencyGraph = (input: DependencyInput): DependencyGraph => {
  const graph = new GraphBuilder();
  for (const contribute of CONTRIBUTORS) contribute(input, graph);
  return graph.build();
};
