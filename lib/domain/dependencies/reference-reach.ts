import type { DependencyGraph } from './graph-model.ts';
import { edgesOut, holdsIn } from './graph-model.ts';
import { stronglyConnected } from './strongly-connected.ts';

const orInto = (target: Uint32Array, at: number, source: Uint32Array, from: number, words: number): void => {
  for (let w = 0; w < words; w += 1)
    target[at + w] = (target[at + w] as number) | (source[from + w] as number);
};

/**
 * For each group of keys (the keys a bundle changes), which other groups change a key its keys
 * reference, directly or through other keys, along references holding in `environment`. One
 * pass over the reference graph reachable from the groups, condensed into strongly connected
 * components, with a bit set of groups per component: linear in that graph times groups / 32,
 * instead of a walk per group.
 */
export const referencedGroups = (
  graph: DependencyGraph,
  groups: readonly (readonly string[])[],
  environment?: string,
): number[][] => {
  const adjacency = new Map<string, string[]>();
  const queue = groups.flat();
  for (const key of queue) adjacency.set(key, []);
  for (const key of queue)
    for (const edge of edgesOut(graph, key)) {
      if (edge.kind !== 'references' || !holdsIn(edge, environment)) continue;
      (adjacency.get(key) as string[]).push(edge.to);
      if (!adjacency.has(edge.to)) {
        adjacency.set(edge.to, []);
        queue.push(edge.to);
      }
    }
  const words = Math.ceil(groups.length / 32);
  const components = stronglyConnected(adjacency);
  const componentOf = new Map<string, number>();
  components.forEach((members, c) => {
    for (const key of members) componentOf.set(key, c);
  });
  const own = new Uint32Array(components.length * words);
  groups.forEach((keys, g) => {
    for (const key of keys) {
      const at = (componentOf.get(key) as number) * words + (g >>> 5);
      own[at] = (own[at] as number) | (1 << (g & 31));
    }
  });
  // strict[c]: groups changing a key reachable from c through at least one reference.
  const strict = new Uint32Array(components.length * words);
  components.forEach((members, c) => {
    for (const key of members)
      for (const target of adjacency.get(key) as string[]) {
        const d = componentOf.get(target) as number;
        // Components come out dependencies first, so d (≠ c) is complete; d = c means a cycle.
        orInto(strict, c * words, own, d * words, words);
        if (d !== c) orInto(strict, c * words, strict, d * words, words);
      }
  });
  return groups.map((keys, g) => {
    const bits = new Uint32Array(words);
    for (const key of keys) {
      const c = componentOf.get(key) as number;
      orInto(bits, 0, strict, c * words, words);
    }
    const found: number[] = [];
    for (let other = 0; other < groups.length; other += 1)
      if (other !== g && (bits[other >>> 5] as number) & (1 << (other & 31))) found.push(other);
    return found;
  });
};
