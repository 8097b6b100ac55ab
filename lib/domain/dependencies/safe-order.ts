import { cycleThrough } from './cycle-path.ts';
import { stronglyConnected } from './strongly-connected.ts';

export interface SafeOrder {
  /** Every node, each after the nodes it needs (except along a cycle, whose members stay together). */
  order: string[];
  /** One path per cycle, from and back to its first node: [a, b, a]. */
  cycles: [string, ...string[]][];
}

/**
 * A topological order of `needs` (node → the nodes that must go before it). Tarjan's components
 * come out dependencies first, which is exactly the order; a component of several nodes, or one
 * that needs itself, is a cycle and is reported with its shortest path.
 */
export const safeOrder = (needs: ReadonlyMap<string, readonly string[]>): SafeOrder => {
  const complete = new Map(needs);
  for (const targets of needs.values())
    for (const target of targets) if (!complete.has(target)) complete.set(target, []);
  const order: string[] = [];
  const cycles: [string, ...string[]][] = [];
  for (const component of stronglyConnected(complete)) {
    order.push(...component);
    const [first] = component;
    if (component.length > 1 || (complete.get(first) as string[]).includes(first))
      cycles.push(cycleThrough(complete, new Set(component), first));
  }
  return { order, cycles };
};
