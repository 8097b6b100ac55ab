import type { GraphNode } from './graph-model.ts';
import type { GraphIndex } from './graph-index.ts';
import { EDGE_CODE, KIND_CODE, NO_KIND, sortById } from './graph-index.ts';
import type { OtherBundle, ServiceImpact } from './impact-model.ts';

const CONSUMES = EDGE_CODE.consumes;
const CHANGES = EDGE_CODE.changes;
const RUNS = EDGE_CODE.runs;
const BUNDLE = KIND_CODE.bundle;

/**
 * The names of distinct nodes, sorted. Nodes of one kind share their id's prefix, so sorting them
 * by id is sorting by name, which the index does with numbers (ids of no known kind may differ in
 * prefix: those sort by name).
 */
const sortedNames = (index: GraphIndex, numbers: readonly number[]): string[] => {
  const kind = index.kinds[numbers[0] as number];
  if (kind === NO_KIND || numbers.some((n) => index.kinds[n] !== kind))
    return [...new Set(numbers.map((n) => index.names[n] as string))].sort();
  const order = sortById(index, Int32Array.from(numbers));
  const names: string[] = [];
  for (let j = 0; j < order.length; j += 1)
    if (j === 0 || order[j] !== order[j - 1]) names.push(index.names[order[j] as number] as string);
  return names;
};

const runsOf = (index: GraphIndex, service: number, environment?: string): ServiceImpact['runs'] => {
  const { start, other, kind, edge } = index.in;
  const runs: ServiceImpact['runs'] = [];
  for (let e = start[service] as number, end = start[service + 1] as number; e < end; e += 1) {
    if (kind[e] !== RUNS) continue;
    const where = index.names[other[e] as number] as string;
    if (environment === undefined || where === environment)
      runs.push({ environment: where, version: edge[e]?.version as string });
  }
  return runs.sort((a, b) => (a.environment < b.environment ? -1 : 1));
};

interface BundleReads {
  number: number;
  same: number[];
  affected: number[];
}

export interface KeyReaders {
  /** The services consuming any of the keys, by id, with where they run (in `environment`). */
  services: ServiceImpact[];
  /** Bundles outside `own` changing any of the keys, by name. */
  bundles: OtherBundle[];
}

/**
 * Who reads or writes a set of keys, in one pass over their incoming edges: the services that
 * consume them and the bundles (other than `own`) that change them. `keys` are node numbers, the
 * first `changedCount` the change set's own keys (a bundle changing those has `sameKeys`), the rest
 * keys affected through references (`affectedKeys`).
 */
export const keyReaders = (
  index: GraphIndex,
  keys: Int32Array,
  changedCount: number,
  own: ReadonlySet<string>,
  environment?: string,
): KeyReaders => {
  const { start, other, kind } = index.in;
  const read = new Map<number, number[]>();
  const writers = new Map<number, BundleReads | undefined>();
  for (let position = 0; position < keys.length; position += 1) {
    const key = keys[position] as number;
    for (let e = start[key] as number, end = start[key + 1] as number; e < end; e += 1) {
      const code = kind[e];
      if (code !== CONSUMES && code !== CHANGES) continue;
      const from = other[e] as number;
      if (code === CONSUMES) {
        const list = read.get(from);
        if (list) list.push(key);
        else read.set(from, [key]);
        continue;
      }
      let entry = writers.get(from);
      if (entry === undefined) {
        if (writers.has(from)) continue;
        if (own.has(index.ids[from] as string)) {
          writers.set(from, undefined);
          continue;
        }
        entry = { number: from, same: [], affected: [] };
        writers.set(from, entry);
      }
      (position < changedCount ? entry.same : entry.affected).push(key);
    }
  }
  const services = [...sortById(index, Int32Array.from(read.keys()))].map((id) => {
    const node = index.nodes[id] as GraphNode;
    return {
      service: node.name,
      ...(node.team === undefined ? {} : { team: node.team }),
      keys: sortedNames(index, read.get(id) as number[]),
      runs: runsOf(index, id, environment),
    };
  });
  const found = [...writers.values()].filter((w) => w !== undefined);
  const bundles = found.map(({ number, same, affected }): OtherBundle => {
    const node = index.nodes[number] as GraphNode;
    return {
      bundle: node.name,
      ...(node.team === undefined ? {} : { team: node.team }),
      sameKeys: same.length === 0 ? [] : sortedNames(index, same),
      affectedKeys: affected.length === 0 ? [] : sortedNames(index, affected),
    };
  });
  // Bundle names sort as their ids do (one prefix): by number, unless another kind changes keys.
  if (!found.every((w) => index.kinds[w.number] === BUNDLE))
    return { services, bundles: bundles.sort((a, b) => (a.bundle < b.bundle ? -1 : 1)) };
  const byNumber = new Map(found.map((w, i) => [w.number, bundles[i] as OtherBundle]));
  const sortedBundles = [...sortById(index, Int32Array.from(byNumber.keys()))].map(
    (n) => byNumber.get(n) as OtherBundle,
  );
  return { services, bundles: sortedBundles };
};
