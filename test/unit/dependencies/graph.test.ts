import { describe, expect, it } from 'vitest';
import { catalogSchema } from '#domain/catalog/catalog.ts';
import { buildDependencyGraph } from '#domain/dependencies/graph.ts';
import { GraphBuilder } from '#domain/dependencies/graph-builder.ts';
import type { DependencyGraph, EdgeKind } from '#domain/dependencies/graph-model.ts';
import { edgesIn, edgesOut, holdsIn, toSubgraph } from '#domain/dependencies/graph-model.ts';
import { demoInput } from '../../fixtures/dependencies/demo.ts';

const graph = buildDependencyGraph(demoInput);

const targets = (g: DependencyGraph, from: string, kind: EdgeKind): string[] =>
  edgesOut(g, from)
    .filter((e) => e.kind === kind)
    .map((e) => e.to)
    .sort();

describe('buildDependencyGraph', () => {
  it.each<[string, EdgeKind, string[]]>([
    [
      'team:payments',
      'owns',
      [
        'bundle:checkout-timeouts@3',
        'flag:new-checkout',
        'namespace:payments',
        'service:checkout-api',
        'service:fraud-worker',
      ],
    ],
    ['namespace:search', 'contains', ['key:search.cache.ttl', 'key:search.query.timeoutMs']],
    [
      'service:checkout-api',
      'consumes',
      [
        'key:identity.session.refreshAfterSeconds',
        'key:identity.session.ttlSeconds',
        'key:payments.checkout.retryBudgetMs',
        'key:payments.checkout.sessionTtlSeconds',
        'key:payments.checkout.timeoutMs',
      ],
    ],
    ['service:fraud-worker', 'consumes', ['key:payments.fraud.enabled']],
    ['key:payments.checkout.sessionTtlSeconds', 'references', ['key:identity.session.ttlSeconds']],
    [
      'bundle:checkout-timeouts@3',
      'changes',
      ['key:payments.checkout.retryBudgetMs', 'key:payments.checkout.timeoutMs'],
    ],
    ['bundle:checkout-timeouts@3', 'dependsOn', ['bundle:identity-session@2']],
    ['bundle:checkout-timeouts@3', 'requires', ['service:checkout-api']],
    ['flag:new-checkout', 'prerequisite', ['flag:sso-v2']],
    ['flag:new-checkout', 'references', ['key:payments.checkout.timeoutMs']],
    ['flag:sso-v2', 'requires', ['service:session-api']],
    ['environment:prod-eu', 'runs', ['service:checkout-api', 'service:session-api']],
  ])('%s %s %j', (from, kind, expected) => {
    expect(targets(graph, from, kind)).toEqual(expected);
  });

  it('keeps the adjacency both ways', () => {
    for (const edge of toSubgraph(graph).edges) expect(edgesIn(graph, edge.to)).toContain(edge);
    expect(edgesIn(graph, 'team:payments')).toEqual([]);
    expect(edgesOut(graph, 'nope')).toEqual([]);
    expect(graph.edgeCount).toBe(toSubgraph(graph).edges.length);
  });

  it.each<[string, string, string[] | undefined]>([
    // the default holds where no snapshot overrides it
    ['key:payments.checkout.retryBudgetMs', 'key:payments.checkout.timeoutMs', ['dev', 'staging']],
    // only staging's snapshot references checkout
    ['key:search.query.timeoutMs', 'key:payments.checkout.timeoutMs', ['staging']],
    [
      'key:identity.session.refreshAfterSeconds',
      'key:identity.session.ttlSeconds',
      ['dev', 'prod-eu', 'staging'],
    ],
    // flags read keys everywhere
    ['flag:new-checkout', 'key:payments.checkout.timeoutMs', undefined],
  ])('references %s → %s hold in %j', (from, to, environments) => {
    const edge = edgesOut(graph, from).find((e) => e.to === to && e.kind === 'references');
    expect(edge?.environments).toEqual(environments);
    expect(holdsIn(edge!, 'prod-eu')).toBe(environments === undefined || environments.includes('prod-eu'));
    expect(holdsIn(edge!, undefined)).toBe(true);
  });

  it('carries ranges, versions and owning teams', () => {
    expect(edgesOut(graph, 'bundle:checkout-timeouts@3').find((e) => e.kind === 'requires')?.range).toBe(
      '>=2.3.0',
    );
    expect(edgesOut(graph, 'environment:prod-eu').find((e) => e.to === 'service:checkout-api')?.version).toBe(
      '2.3.1',
    );
    expect(graph.nodes.get('key:identity.session.ttlSeconds')).toEqual({
      id: 'key:identity.session.ttlSeconds',
      kind: 'key',
      name: 'identity.session.ttlSeconds',
      team: 'identity',
    });
    // a bundle known only as a dependency gains its team once pushed
    expect(graph.nodes.get('bundle:identity-session@2')?.team).toBe('identity');
  });

  it('adds keys that only snapshots, bundles or references name, without an owner when none is declared', () => {
    const catalog = catalogSchema.parse({
      environments: [{ name: 'dev' }],
      services: [{ name: 'api', team: 'core', consumes: ['**', 'loose.exact'] }],
    });
    const g = buildDependencyGraph({
      catalog,
      snapshots: { dev: { 'loose.exact': '${loose.target}' }, ghost: { 'other.key': 1 } },
      flags: [{ key: 'bare' }],
    });
    expect(g.nodes.get('key:loose.exact')).toEqual({
      id: 'key:loose.exact',
      kind: 'key',
      name: 'loose.exact',
    });
    expect(targets(g, 'service:api', 'consumes')).toEqual([
      'key:loose.exact',
      'key:loose.target',
      'key:other.key',
    ]);
    expect(targets(g, 'key:loose.exact', 'references')).toEqual(['key:loose.target']);
    expect(edgesIn(g, 'flag:bare')).toEqual([]);
    expect(buildDependencyGraph({ catalog }).nodes.size).toBe(3);
  });
});

describe('GraphBuilder', () => {
  it('deduplicates edges and merges the environments of repeated references', () => {
    const builder = new GraphBuilder();
    const a = builder.node('key', 'a.x');
    const b = builder.node('key', 'b.x', 'team-b');
    builder.node('key', 'b.x', 'other');
    builder.edge(a, 'references', b, { environments: ['prod'] });
    builder.edge(a, 'references', b, { environments: ['dev'] });
    builder.edge(a, 'changes', b);
    builder.edge(a, 'changes', b);
    const g = builder.build();
    expect(g.edgeCount).toBe(2);
    expect(edgesOut(g, a)[0]?.environments).toEqual(['dev', 'prod']);
    expect(g.nodes.get(b)?.team).toBe('team-b');
  });
});
