import { describe, expect, it } from 'vitest';
import { focus, shortestPath } from '#domain/dependencies/focus.ts';
import { buildDependencyGraph } from '#domain/dependencies/graph.ts';
import type { NodeKind } from '#domain/dependencies/graph-model.ts';
import { demoInput } from '../../fixtures/dependencies/demo.ts';

const graph = buildDependencyGraph(demoInput);

describe('focus', () => {
  it.each<[string, number, NodeKind[] | undefined, string[]]>([
    ['service:search-api', 0, undefined, ['service:search-api']],
    [
      'service:search-api',
      1,
      undefined,
      [
        'environment:dev',
        'environment:staging',
        'key:search.cache.ttl',
        'key:search.query.timeoutMs',
        'service:search-api',
        'team:search',
      ],
    ],
    ['service:search-api', 2, ['service', 'team'], ['service:search-api', 'team:search']],
    [
      'key:search.query.timeoutMs',
      1,
      ['key'],
      ['key:payments.checkout.timeoutMs', 'key:search.query.timeoutMs'],
    ],
    ['nope:x', 3, undefined, []],
  ])('%s depth %i kinds %j', (center, depth, kinds, ids) => {
    const sub = focus(graph, center, depth, kinds);
    expect(sub.nodes.map((n) => n.id)).toEqual(ids);
    for (const edge of sub.edges) {
      expect(ids).toContain(edge.from);
      expect(ids).toContain(edge.to);
    }
  });

  it('keeps the edges between shown nodes, sorted', () => {
    expect(focus(graph, 'key:search.query.timeoutMs', 1, ['key']).edges).toEqual([
      {
        from: 'key:search.query.timeoutMs',
        to: 'key:payments.checkout.timeoutMs',
        kind: 'references',
        environments: ['staging'],
      },
    ]);
    const team = focus(graph, 'team:search', 2);
    const ids = team.edges.map((e) => `${e.from}>${e.to}`);
    expect(ids).toEqual([...ids].sort());
  });
});

describe('shortestPath', () => {
  it.each<[string, string, string[] | undefined, boolean | undefined]>([
    [
      'team:search',
      'key:payments.checkout.timeoutMs',
      ['team:search', 'namespace:search', 'key:search.query.timeoutMs', 'key:payments.checkout.timeoutMs'],
      true,
    ],
    ['service:checkout-api', 'service:checkout-api', ['service:checkout-api'], true],
    [
      'key:identity.mfa.required',
      'team:identity',
      ['key:identity.mfa.required', 'namespace:identity', 'team:identity'],
      false,
    ],
    ['key:search.cache.ttl', 'nope:x', undefined, undefined],
    ['nope:x', 'key:search.cache.ttl', undefined, undefined],
  ])('%s → %s', (from, to, nodes, directed) => {
    const path = shortestPath(graph, from, to);
    expect(path?.nodes).toEqual(nodes);
    expect(path?.directed).toBe(directed);
    if (path) expect(path.steps).toHaveLength(path.nodes.length - 1);
  });

  it('answers undefined when the nodes are not connected', () => {
    const lonely = buildDependencyGraph({ ...demoInput, flags: [{ key: 'island' }] });
    expect(shortestPath(lonely, 'flag:island', 'team:search')).toBeUndefined();
  });
});
