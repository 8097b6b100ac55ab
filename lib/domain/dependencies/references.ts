import type { JsonValue } from '../core/json.ts';
import { problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';
import { cycleThrough, formatCycle } from './cycle-path.ts';
import { stronglyConnected } from './strongly-connected.ts';
import type { Component } from './strongly-connected.ts';

export { formatCycle } from './cycle-path.ts';

/**
 * `${payments.checkout.timeoutMs}`: a reference to another key. Only key-shaped names count, so
 * `${ x }` or `${}` stay literal text. There is no escape syntax.
 */
const REFERENCE = /\$\{([A-Za-z0-9_.-]+)\}/g;
const EXACT_REFERENCE = /^\$\{([A-Za-z0-9_.-]+)\}$/;

const collect = (value: JsonValue, found: Set<string>): void => {
  if (typeof value === 'string') {
    if (value.includes('${')) for (const match of value.matchAll(REFERENCE)) found.add(match[1] ?? '');
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) collect(item, found);
  }
};

const NONE: readonly string[] = Object.freeze([]);

/** Every key referenced anywhere in a value (strings nested in arrays and objects), first-seen order. */
export const referencesIn = (value: JsonValue): string[] => {
  // Most values are plain numbers or strings: answer those without allocating.
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return [];
  if (typeof value === 'string' && !value.includes('${')) return [];
  const found = new Set<string>();
  collect(value, found);
  return [...found];
};

const referenceList = (value: JsonValue): readonly string[] => {
  const refs = referencesIn(value);
  return refs.length === 0 ? NONE : refs;
};

export const hasReference = (value: JsonValue): boolean => referenceList(value) !== NONE;

/** The key a string references when the string is exactly one reference. */
export const exactReference = (value: JsonValue): string | undefined =>
  typeof value === 'string' ? EXACT_REFERENCE.exec(value)?.[1] : undefined;

const isCycle = (graph: ReadonlyMap<string, readonly string[]>, component: Component): boolean =>
  component.length > 1 || (graph.get(component[0]) ?? NONE).includes(component[0]);

/**
 * A cycle in a directed graph as a path that returns to its start ([a, b, c, a]), or undefined when
 * the graph is acyclic. Nodes that only appear as targets are leaves. Linear in nodes plus edges.
 */
export const findCycle = (graph: ReadonlyMap<string, readonly string[]>): string[] | undefined => {
  const component = stronglyConnected(graph).find((c) => isCycle(graph, c));
  return component && cycleThrough(graph, new Set(component), component[0]);
};

export interface ReferenceCycle {
  /** One cycle through the component, from and back to its first key: [a, b, a]. */
  path: [string, ...string[]];
  /** Every key of the strongly connected component; none of them can resolve. */
  members: string[];
}

export interface MapResolution {
  values: Map<string, JsonValue>;
  /** `reference.unresolved` per key that cannot resolve, `reference.cycle` per cycle. */
  problems: Problem[];
  cycles: ReferenceCycle[];
  /** The reference graph: each key whose value references others, with the keys it references. */
  references: ReadonlyMap<string, readonly string[]>;
}

export type Resolution = Omit<MapResolution, 'values'> & { values: Record<string, JsonValue> };

export const cycleProblem = (path: readonly [string, ...string[]]): Problem =>
  problem('reference.cycle', `references form a cycle: ${formatCycle(path)}`, { key: path[0] });

const substitute = (value: JsonValue, resolved: ReadonlyMap<string, JsonValue>): JsonValue => {
  if (typeof value === 'string') {
    const exact = exactReference(value);
    if (exact !== undefined) return resolved.get(exact) ?? null;
    return value.replace(REFERENCE, (_, key: string) => {
      const target = resolved.get(key) ?? null;
      return typeof target === 'string' ? target : JSON.stringify(target);
    });
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, resolved));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, resolved)]));
  }
  return value;
};

/** resolveValues over a Map, which it updates in place (the hot path of validation). */
export const resolveMap = (values: Map<string, JsonValue>): MapResolution => {
  const graph = new Map<string, readonly string[]>();
  for (const [key, value] of values) {
    const refs = referenceList(value);
    if (refs !== NONE) graph.set(key, refs);
  }
  const problems: Problem[] = [];
  const cycles: ReferenceCycle[] = [];
  const failed = new Set<string>();
  // Components come out dependencies first, so every reference is settled before its referrer.
  for (const component of stronglyConnected(graph)) {
    const [first] = component;
    if (isCycle(graph, component)) {
      const path = cycleThrough(graph, new Set(component), first);
      for (const key of component) failed.add(key);
      cycles.push({ path, members: component });
      problems.push(cycleProblem(path));
      continue;
    }
    const blocker = (graph.get(first) ?? NONE).find((ref) => !values.has(ref) || failed.has(ref));
    if (blocker === undefined) {
      values.set(first, substitute(values.get(first) ?? null, values));
      continue;
    }
    failed.add(first);
    const why = values.has(blocker) ? 'which cannot be resolved' : 'which is not set';
    problems.push(problem('reference.unresolved', `${first} references ${blocker}, ${why}`, { key: first }));
  }
  return { values, problems, cycles, references: graph };
};

/**
 * Resolve references. A string that is exactly `${k}` becomes k's resolved value (keeping its type);
 * a reference inside a longer string is interpolated (non-strings as JSON). References resolve
 * transitively. A key that cannot resolve keeps its authored value — never half-resolved — and
 * gets one problem: `reference.unresolved` naming its first reference that is missing or itself
 * unresolvable; keys on a cycle get one `reference.cycle` per cycle (strongly connected component),
 * keyed by the cycle's first key, with the path in the message: "a → b → a".
 * Linear in keys plus references.
 */
export const resolveValues = (values: Readonly<Record<string, JsonValue>>): Resolution => {
  // A Map, so keys such as `__proto__` or `constructor` are plain data.
  const resolution = resolveMap(new Map(Object.entries(values)));
  return { ...resolution, values: Object.fromEntries(resolution.values) };
};
