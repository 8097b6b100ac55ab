import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { affectedBy } from '#domain/dependencies/affected.ts';
import { GraphBuilder } from '#domain/dependencies/graph-builder.ts';
import { edgesOut, holdsIn } from '#domain/dependencies/graph-model.ts';
import { impact } from '#domain/dependencies/impact.ts';
import { referencedGroups } from '#domain/dependencies/reference-reach.ts';
import { safeOrder } from '#domain/dependencies/safe-order.ts';

const ENVIRONMENTS = ['dev', 'prod'];
const edgeArb = (n: number) =>
  fc.record({
    from: fc.nat(n - 1),
    to: fc.nat(n - 1),
    environments: fc.subarray(ENVIRONMENTS, { minLength: 1 }),
  });
const randomGraph = fc.integer({ min: 1, max: 14 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(edgeArb(n), { maxLength: 40 }),
    changed: fc.uniqueArray(fc.nat(n - 1), { minLength: 1, maxLength: 4 }),
    environment: fc.option(fc.constantFrom(...ENVIRONMENTS), { nil: undefined }),
  }),
);

const key = (i: number) => `ns.k${i}`;

/** Brute force: distance of every node from the changed set, by relaxing every edge until nothing changes. */
const distances = (
  edges: { from: string; to: string; ok: boolean }[],
  changed: string[],
): Map<string, number> => {
  const distance = new Map(changed.map((id) => [id, 0]));
  for (let changedSomething = true; changedSomething;) {
    changedSomething = false;
    for (const { from, to, ok } of edges) {
      const d = distance.get(to);
      if (!ok || d === undefined) continue;
      if ((distance.get(from) ?? Infinity) > d + 1) {
        distance.set(from, d + 1);
        changedSomething = true;
      }
    }
  }
  return distance;
};

describe('impact against brute force', () => {
  it('finds exactly the keys that reach a changed key, each by a shortest valid path', () => {
    fc.assert(
      fc.property(randomGraph, ({ n, edges, changed, environment }) => {
        const builder = new GraphBuilder();
        for (let i = 0; i < n; i += 1) builder.node('key', key(i));
        for (const edge of edges)
          builder.edge(`key:${key(edge.from)}`, 'references', `key:${key(edge.to)}`, {
            environments: edge.environments,
          });
        const graph = builder.build();
        const changedIds = changed.map((i) => `key:${key(i)}`);
        const expected = distances(
          edges.map((e) => ({
            from: `key:${key(e.from)}`,
            to: `key:${key(e.to)}`,
            ok: environment === undefined || e.environments.includes(environment),
          })),
          changedIds,
        );
        const found = affectedBy(graph, changedIds, environment);
        expect(new Set([...changedIds, ...found.map((a) => a.id)])).toEqual(new Set(expected.keys()));
        for (const { id, path } of found) {
          expect(path.at(-1)).toBe(id);
          expect(changedIds).toContain(path[0]);
          expect(path.length - 1).toBe(expected.get(id));
          for (let i = 1; i < path.length; i += 1)
            expect(
              edgesOut(graph, path[i] as string).some((e) => e.to === path[i - 1] && holdsIn(e, environment)),
            ).toBe(true);
        }
        const result = impact(graph, { keys: changed.map(key) }, { now: new Date(0), environment });
        expect(result.changed.length + result.affected.length).toBe(expected.size);
      }),
    );
  });
});

const reaches = (needs: Map<string, string[]>, from: string, to: string): boolean => {
  const seen = new Set([from]);
  const queue = [from];
  for (const at of queue)
    for (const next of needs.get(at) ?? [])
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
  return seen.has(to);
};

describe('safeOrder', () => {
  it('puts every node after what it needs, outside cycles, and reports each cycle as a real path', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(9), fc.nat(9)), { maxLength: 30 }),
        fc.uniqueArray(fc.nat(9), { maxLength: 5 }),
        (pairs, isolated) => {
          const needs = new Map<string, string[]>();
          for (const i of isolated) needs.set(`n${i}`, []);
          for (const [a, b] of pairs) needs.set(`n${a}`, [...(needs.get(`n${a}`) ?? []), `n${b}`]);
          const { order, cycles } = safeOrder(needs);
          const nodes = new Set([...needs.keys(), ...[...needs.values()].flat()]);
          expect(order.length).toBe(nodes.size);
          expect(new Set(order)).toEqual(nodes);
          const position = new Map(order.map((id, i) => [id, i]));
          for (const [a, targets] of needs)
            for (const b of targets) {
              const sameCycle = reaches(needs, b, a);
              if (!sameCycle) expect(position.get(b)).toBeLessThan(position.get(a) as number);
            }
          for (const cycle of cycles) {
            expect(cycle[0]).toBe(cycle.at(-1));
            for (let i = 1; i < cycle.length; i += 1)
              expect(needs.get(cycle[i - 1] as string)).toContain(cycle[i]);
          }
          const cyclic = order.filter((id) => (needs.get(id) ?? []).some((next) => reaches(needs, next, id)));
          const covered = new Set(cycles.flat());
          for (const id of cyclic)
            expect(cycles.some((c) => reaches(needs, c[0], id) && reaches(needs, id, c[0]))).toBe(true);
          expect([...covered].every((id) => cyclic.includes(id))).toBe(true);
        },
      ),
    );
  });
});

describe('referencedGroups', () => {
  it('agrees with a walk per group, over more groups than one bit word holds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            edges: fc.array(edgeArb(n), { maxLength: 30 }),
            groups: fc.array(fc.uniqueArray(fc.nat(n - 1), { maxLength: 3 }), {
              minLength: 1,
              maxLength: 40,
            }),
            environment: fc.option(fc.constantFrom(...ENVIRONMENTS), { nil: undefined }),
          }),
        ),
        ({ n, edges, groups, environment }) => {
          const builder = new GraphBuilder();
          for (let i = 0; i < n; i += 1) builder.node('key', key(i));
          for (const edge of edges)
            builder.edge(`key:${key(edge.from)}`, 'references', `key:${key(edge.to)}`, {
              environments: edge.environments,
            });
          const graph = builder.build();
          const ids = groups.map((g) => g.map((i) => `key:${key(i)}`));
          const walk = (start: string[]): Set<string> => {
            const seen = new Set<string>();
            const queue = [...start];
            for (const at of queue)
              for (const e of edgesOut(graph, at))
                if (holdsIn(e, environment) && !seen.has(e.to)) {
                  seen.add(e.to);
                  queue.push(e.to);
                }
            return seen;
          };
          const expected = ids.map((group, g) => {
            const reached = walk(group);
            return ids.flatMap((other, h) => (h !== g && other.some((k) => reached.has(k)) ? [h] : []));
          });
          expect(referencedGroups(graph, ids, environment)).toEqual(expected);
        },
      ),
    );
  });
});
