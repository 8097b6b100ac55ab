import { describe, expect, it } from 'vitest';
import { bundleSchema } from '#domain/bundles/bundle.ts';
import { buildDependencyGraph } from '#domain/dependencies/graph.ts';
import { GraphBuilder } from '#domain/dependencies/graph-builder.ts';
import { impact } from '#domain/dependencies/impact.ts';
import type { ChangeSet, Impact, ImpactOptions } from '#domain/dependencies/impact-model.ts';
import { demoCatalog, demoInput } from '../../fixtures/dependencies/demo.ts';

const graph = buildDependencyGraph(demoInput);
const now = new Date('2026-12-01T00:00:00Z');
const at = (iso: string) => new Date(iso);

interface Case {
  name: string;
  changeSet: ChangeSet;
  options?: Partial<ImpactOptions>;
  expected: Partial<Impact>;
}

describe('impact on the demo catalog', () => {
  it.each<Case>([
    {
      name: 'a bundle reaches another team through a staging reference and a flag',
      changeSet: { bundles: ['checkout-timeouts@3'] },
      expected: {
        unknown: [],
        changed: ['payments.checkout.retryBudgetMs', 'payments.checkout.timeoutMs'],
        affected: [
          { id: 'flag:new-checkout', path: ['key:payments.checkout.timeoutMs', 'flag:new-checkout'] },
          {
            id: 'key:search.query.timeoutMs',
            path: ['key:payments.checkout.timeoutMs', 'key:search.query.timeoutMs'],
          },
        ],
        flags: ['new-checkout'],
        teams: ['payments', 'search'],
        environments: ['dev', 'prod-eu', 'staging'],
        bundles: [
          {
            bundle: 'search-latency@1',
            team: 'search',
            sameKeys: [],
            affectedKeys: ['search.query.timeoutMs'],
          },
        ],
        summary: 'touches 3 teams, 2 services in 3 environments, 1 other bundle on the same keys',
      },
    },
    {
      name: 'an environment drops references that do not hold there',
      changeSet: { bundles: ['checkout-timeouts@3'] },
      options: { environment: 'prod-eu' },
      expected: {
        affected: [
          { id: 'flag:new-checkout', path: ['key:payments.checkout.timeoutMs', 'flag:new-checkout'] },
        ],
        services: [
          {
            service: 'checkout-api',
            team: 'payments',
            keys: ['payments.checkout.retryBudgetMs', 'payments.checkout.timeoutMs'],
            runs: [{ environment: 'prod-eu', version: '2.3.1' }],
          },
        ],
        teams: ['payments'],
        environments: ['prod-eu'],
        bundles: [],
        summary: 'touches 2 teams, 1 service in 1 environment',
      },
    },
    {
      name: 'a list of keys, with an author and an unknown key',
      changeSet: { keys: ['identity.session.ttlSeconds', 'nope.key'] },
      options: { author: 'identity' },
      expected: {
        unknown: ['nope.key'],
        changed: ['identity.session.ttlSeconds'],
        flags: ['new-checkout', 'sso-v2'],
        teams: ['identity', 'payments'],
        bundles: [
          {
            bundle: 'identity-session@2',
            team: 'identity',
            sameKeys: ['identity.session.ttlSeconds'],
            affectedKeys: [],
          },
        ],
        plan: { authors: ['identity'], signOff: ['payments'], order: [], cycles: [] },
      },
    },
    {
      name: 'keys without an author: every team signs off',
      changeSet: { keys: ['search.cache.ttl'] },
      expected: {
        teams: ['search'],
        plan: { authors: [], signOff: ['search'], order: [], cycles: [] },
        summary: 'touches 1 team, 1 service in 2 environments',
      },
    },
  ])('$name', ({ changeSet, options, expected }) => {
    expect(impact(graph, changeSet, { now, ...options })).toMatchObject(expected);
  });

  it('plans dependencies, required services and referenced bundles first', () => {
    const result = impact(
      graph,
      { bundles: ['search-latency@1', 'checkout-timeouts@3'] },
      { now, environment: 'staging' },
    );
    expect(result.plan).toEqual({
      authors: ['payments', 'search'],
      signOff: ['identity'],
      order: [
        { id: 'bundle:identity-session@2', team: 'identity', after: [] },
        { id: 'service:checkout-api', team: 'payments', after: [] },
        {
          id: 'bundle:checkout-timeouts@3',
          team: 'payments',
          after: ['bundle:identity-session@2', 'service:checkout-api'],
        },
        { id: 'bundle:search-latency@1', team: 'search', after: ['bundle:checkout-timeouts@3'] },
      ],
      cycles: [],
    });
    // both bundles are in the change set, so neither is "another bundle"
    expect(result.bundles).toEqual([]);
  });

  it('reports running rollouts on the same keys, other than its own and elsewhere', () => {
    const rollouts = [
      { id: 'r-3', bundle: 'search-latency@1', environments: ['staging', 'dev'] },
      { id: 'r-1', bundle: 'identity-session@2', environments: ['prod-eu'] },
      { id: 'r-2', bundle: 'checkout-timeouts@3', environments: ['dev'] },
      { id: 'r-4', bundle: 'unknown@9', environments: ['dev'] },
    ];
    const result = impact(graph, { bundles: ['checkout-timeouts@3'] }, { now, rollouts });
    expect(result.rollouts).toEqual([
      {
        rollout: 'r-3',
        bundle: 'search-latency@1',
        environments: ['dev', 'staging'],
        keys: ['search.query.timeoutMs'],
      },
    ]);
    expect(result.summary).toContain('1 running rollout');
    const prod = impact(
      graph,
      { keys: ['identity.session.ttlSeconds'] },
      { now, rollouts, environment: 'prod-eu' },
    );
    expect(prod.rollouts.map((r) => r.rollout)).toEqual(['r-1']);
  });

  it.each<[string, string[], string]>([
    ['in 3 days', ['2026-12-04T10:00:00Z'], '1 freeze in 3 days'],
    ['within a day', ['2026-12-01T10:00:00Z'], '1 freeze within a day'],
    ['in force', ['2026-12-05T00:00:00Z', '2026-11-30T00:00:00Z'], '2 freezes now'],
    ['tomorrow', ['2026-12-02T00:00:00Z'], '1 freeze in 1 day'],
  ])('freezes %s', (_, starts, phrase) => {
    const asked: unknown[] = [];
    const result = impact(
      graph,
      { bundles: ['identity-session@2'] },
      {
        now,
        horizonDays: 7,
        freezes: (scope) => {
          asked.push(scope);
          return starts.map((start, i) => ({ window: `w${i}`, startsAt: at(start) }));
        },
      },
    );
    expect(result.summary).toContain(phrase);
    expect(result.freezes[0]?.inDays).toBe(result.freezes[0]?.active ? 0 : result.freezes[0]?.inDays);
    expect(asked).toEqual([
      {
        environments: ['dev', 'prod-eu', 'staging'],
        namespaces: ['identity', 'payments'],
        teams: ['identity', 'payments'],
        from: now,
        to: at('2026-12-08T00:00:00Z'),
      },
    ]);
  });

  it('orders freezes by start, then window', () => {
    const result = impact(
      graph,
      { keys: ['search.cache.ttl'] },
      {
        now,
        freezes: () => [
          { window: 'b', startsAt: at('2026-12-03T00:00:00Z') },
          { window: 'a', startsAt: at('2026-12-03T00:00:00Z') },
          { window: 'c', startsAt: at('2026-12-02T00:00:00Z') },
        ],
      },
    );
    expect(result.freezes.map((f) => f.window)).toEqual(['c', 'a', 'b']);
    expect(result.freezes[0]).toMatchObject({ inDays: 1, active: false });
  });

  it('reports a cycle of bundles with its path', () => {
    const bundle = (name: string, dependsOn: string[]) =>
      bundleSchema.parse({
        name,
        version: '1',
        release: 'r1',
        team: name,
        dependsOn,
        changes: [{ set: `${name}.k.v`, value: 1 }],
      });
    const cyclic = buildDependencyGraph({
      catalog: demoCatalog,
      bundles: [bundle('a', ['b@1']), bundle('b', ['c@1']), bundle('c', ['a@1']), bundle('d', ['d@1'])],
    });
    const result = impact(cyclic, { bundles: ['a@1', 'd@1', 'zzz@1'] }, { now });
    expect(result.unknown).toEqual(['zzz@1']);
    expect(result.plan.cycles).toEqual([
      ['bundle:a@1', 'bundle:b@1', 'bundle:c@1', 'bundle:a@1'],
      ['bundle:d@1', 'bundle:d@1'],
    ]);
    expect(result.plan.signOff).toEqual(['b', 'c']);
    expect(result.summary).toBe('touches 4 teams, 0 services in 0 environments, 2 cycles');
  });

  it('handles a bundle known only as a dependency and a service without a team', () => {
    const g = buildDependencyGraph({
      catalog: demoCatalog,
      bundles: [
        bundleSchema.parse({
          name: 'x',
          version: '1',
          release: 'r',
          team: 'search',
          dependsOn: ['ghost@1'],
          requires: [{ service: 'ghost-api', range: '1' }],
          changes: [{ delete: 'search.cache.ttl' }],
        }),
      ],
      versions: { dev: { 'ghost-api': '1.0.0' } },
    });
    const result = impact(g, { bundles: ['x@1'] }, { now });
    expect(result.plan.order).toEqual([
      { id: 'bundle:ghost@1', after: [] },
      { id: 'service:ghost-api', after: [] },
      { id: 'bundle:x@1', team: 'search', after: ['bundle:ghost@1', 'service:ghost-api'] },
    ]);
  });
});

describe('required services', () => {
  const versions = (prodEu: string, staging: string) =>
    buildDependencyGraph({
      ...demoInput,
      versions: { 'prod-eu': { 'checkout-api': prodEu }, staging: { 'checkout-api': staging } },
    });
  const step = (graph: ReturnType<typeof buildDependencyGraph>, environment?: string) =>
    impact(graph, { bundles: ['checkout-timeouts@3'] }, { now, environment }).plan.order.find(
      (s) => s.id === 'service:checkout-api',
    );

  it.each<[string, string, string | undefined, unknown]>([
    ['2.3.1', '2.4.0', undefined, undefined],
    [
      '2.2.9',
      'not-semver',
      undefined,
      [
        { environment: 'prod-eu', version: '2.2.9', ranges: ['>=2.3.0'] },
        { environment: 'staging', version: 'not-semver', ranges: ['>=2.3.0'] },
      ],
    ],
    ['2.2.9', 'not-semver', 'prod-eu', [{ environment: 'prod-eu', version: '2.2.9', ranges: ['>=2.3.0'] }]],
    ['2.3.1', '2.4.0', 'dev', [{ environment: 'dev', ranges: ['>=2.3.0'] }]],
  ])('prod-eu %s, staging %s, in %s', (prodEu, staging, environment, unmet) => {
    const graph = versions(prodEu, staging);
    expect(step(graph, environment)?.unmet).toEqual(unmet);
  });

  it('counts unmet requirements in the summary', () => {
    const result = impact(versions('2.2.9', '2.4.0'), { bundles: ['checkout-timeouts@3'] }, { now });
    expect(result.summary).toContain('1 unmet service requirement');
  });
});

describe('impact on hand-built graphs', () => {
  it('copes with nodes that have no team and bundles that share keys', () => {
    const builder = new GraphBuilder();
    const [a, b, c] = ['ns.a', 'ns.b', 'ns.c'].map((k) => builder.node('key', k));
    const service = builder.node('service', 'loose');
    builder.edge(service, 'consumes', a as string);
    builder.edge(builder.node('environment', 'dev'), 'runs', service, { version: '1.0.0' });
    const [one, two, three] = ['one@1', 'two@1', 'three@1'].map((r) => builder.node('bundle', r));
    for (const bundle of [one, two, three]) builder.edge(bundle as string, 'changes', a as string);
    // one's key references its own other key and one nobody changes
    builder.edge(one as string, 'changes', b as string);
    builder.edge(a as string, 'references', b as string);
    builder.edge(a as string, 'references', c as string);
    const graph = builder.build();
    const result = impact(
      graph,
      { bundles: ['one@1', 'two@1'] },
      {
        now,
        rollouts: [
          { id: 'r-b', bundle: 'three@1', environments: ['dev'] },
          { id: 'r-a', bundle: 'three@1', environments: ['dev'] },
        ],
      },
    );
    expect(result.services).toEqual([
      { service: 'loose', keys: ['ns.a'], runs: [{ environment: 'dev', version: '1.0.0' }] },
    ]);
    expect(result.bundles).toEqual([{ bundle: 'three@1', sameKeys: ['ns.a'], affectedKeys: [] }]);
    expect(result.rollouts.map((r) => r.rollout)).toEqual(['r-a', 'r-b']);
    expect(result.plan).toEqual({
      authors: [],
      signOff: [],
      order: [
        { id: 'bundle:one@1', after: [] },
        { id: 'bundle:two@1', after: ['bundle:one@1'] },
      ],
      cycles: [],
    });
  });
});
