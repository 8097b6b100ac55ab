import type { DependencyGraph } from './graph-model.ts';
import { holdsIn } from './graph-model.ts';
import { csrComponents } from './csr-components.ts';
import { EDGE_CODE, SLOT, graphIndex, scratch } from './graph-index.ts';

const REFERENCES = EDGE_CODE.references;

const orInto = (target: Uint32Array, at: number, source: Uint32Array, from: number, words: number): void => {
  for (let w = 0; w < words; w += 1)
    target[at + w] = (target[at + w] as number) | (source[from + w] as number);
};

/**
 * The reference graph reachable from `roots` along references holding in `environment`, renumbered
 * 0 .. count - 1 in the order reached (roots first): `local` maps graph numbers to it, `nodes` back.
 */
const reachable = (graph: DependencyGraph, roots: readonly string[], environment?: string) => {
  const index = graphIndex(graph);
  const { start, other, kind, edge } = index.out;
  const local = scratch(index, SLOT.reachLocal, index.size).fill(-1);
  const nodes = scratch(index, SLOT.reachNodes, index.size);
  let count = 0;
  for (const id of roots) {
    const n = index.numberOf.get(id);
    if (n !== undefined && local[n] === -1) {
      local[n] = count;
      nodes[count++] = n;
    }
  }
  const localStart = scratch(index, SLOT.reachStart, index.size + 1);
  const target = scratch(index, SLOT.reachTarget, other.length);
  let edges = 0;
  for (let head = 0; head < count; head += 1) {
    const at = nodes[head] as number;
    localStart[head] = edges;
    for (let e = start[at] as number, end = start[at + 1] as number; e < end; e += 1) {
      if (kind[e] !== REFERENCES) continue;
      if (environment !== undefined && !holdsIn(edge[e] as (typeof edge)[number], environment)) continue;
      const to = other[e] as number;
      if (local[to] === -1) {
        local[to] = count;
        nodes[count++] = to;
      }
      target[edges++] = local[to] as number;
    }
  }
  localStart[count] = edges;
  return { index, local, csr: { count, start: localStart.subarray(0, count + 1), target } };
};

/**
 * For each group of keys (the keys a bundle changes), which other groups change a key its keys
 * reference, directly or through other keys, along references holding in `environment`. One
 * pass over the reference graph reachable from the groups (numbered, in typed arrays), condensed
 * into strongly connected components, with a bit set of groups per component: linear in that
 * graph times groups / 32, instead of a walk per group.
 */
export const referencedGroups = (
  graph: DependencyGraph,
  groups: readonly (readonly string[])[],
  environment?: string,
): number[][] => {
  const { index, local, csr } = reachable(graph, groups.flat(), environment);
  const words = Math.ceil(groups.length / 32);
  const components = csrComponents(csr);
  const componentOfKey = (id: string): number => {
    const n = index.numberOf.get(id);
    return n === undefined ? -1 : (components.of[local[n] as number] as number);
  };
  const own = new Uint32Array(components.count * words);
  groups.forEach((keys, g) => {
    for (const key of keys) {
      const c = componentOfKey(key);
      if (c === -1) continue;
      const at = c * words + (g >>> 5);
      own[at] = (own[at] as number) | (1 << (g & 31));
    }
  });
  // Members of each component, components in their order (dependencies first).
  const memberStart = new Int32Array(components.count + 1);
  for (let v = 0; v < csr.count; v += 1) {
    const next = (components.of[v] as number) + 1;
    memberStart[next] = (memberStart[next] as number) + 1;
  }
  for (let c = 0; c < components.count; c += 1)
    memberStart[c + 1] = (memberStart[c + 1] as number) + (memberStart[c] as number);
  const members = new Int32Array(csr.count);
  const fill = memberStart.slice(0, components.count);
  for (let v = 0; v < csr.count; v += 1) {
    const c = components.of[v] as number;
    members[fill[c] as number] = v;
    fill[c] = (fill[c] as number) + 1;
  }
  // strict[c]: groups changing a key reachable from c through at least one reference.
  const strict = new Uint32Array(components.count * words);
  for (let c = 0; c < components.count; c += 1)
    for (let m = memberStart[c] as number; m < (memberStart[c + 1] as number); m += 1) {
      const v = members[m] as number;
      for (let e = csr.start[v] as number; e < (csr.start[v + 1] as number); e += 1) {
        const d = components.of[csr.target[e] as number] as number;
        // Components come out dependencies first, so d (≠ c) is complete; d = c means a cycle.
        orInto(strict, c * words, own, d * words, words);
        if (d !== c) orInto(strict, c * words, strict, d * words, words);
      }
    }
  return groups.map((keys, g) => {
    const bits = new Uint32Array(words);
    for (const key of keys) {
      const c = componentOfKey(key);
      if (c !== -1) orInto(bits, 0, strict, c * words, words);
    }
    const found: number[] = [];
    for (let other = 0; other < groups.length; other += 1)
      if (other !== g && (bits[other >>> 5] as number) & (1 << (other & 31))) found.push(other);
    return found;
  });
};
