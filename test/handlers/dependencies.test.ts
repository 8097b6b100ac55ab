import { beforeAll, describe, expect, it } from 'vitest';
import graphlibDot from '@dagrejs/graphlib-dot';
import { demoBundles, demoCatalog } from '../fixtures/dependencies/demo.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

const roles = [
  { principal: 'olivia', roles: ['release-manager'] },
  { principal: 'vera', roles: ['viewer'] },
];
/** Payments' launch freeze on prod-eu, three days after the test's clock (2026-11-23T10:00Z). */
const launch = {
  id: 'payments-launch',
  name: 'Payments launch',
  scope: { environments: ['prod-eu'], namespaces: ['payments'] },
  schedule: { start: '2026-11-26T08:00:00Z', end: '2026-11-26T20:00:00Z' },
  level: 'soft',
};

describe('dependency routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    const put = await api.call('PUT', '/catalog', { body: { ...demoCatalog, roles } });
    expect(put.status, put.text).toBe(200);
    for (const bundle of demoBundles) {
      const pushed = await api.call('POST', '/bundles', { body: bundle });
      expect(pushed.status, pushed.text).toBe(201);
    }
    const versions = { 'checkout-api': '2.4.0', 'session-api': '5.2.1', 'search-api': '1.9.0' };
    for (const [service, version] of Object.entries(versions))
      for (const env of ['staging', 'prod-eu'])
        await api.call('PUT', `/environments/${env}/services/${service}`, { body: { version } });
    const deployed = await api.call('POST', '/environments/staging/deployments', {
      body: { bundle: 'search-latency@1' },
    });
    expect(deployed.status, deployed.text).toBe(201);
    expect((await api.call('POST', '/freezes', { body: launch })).status).toBe(201);
  });

  it('answers the impact of a bundle: other teams, their services, the plan, freezes and a summary', async () => {
    const res = await api.call('POST', '/impact', { body: { bundles: ['identity-session@2'] }, as: 'vera' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.changed).toEqual(['identity.session.ttlSeconds']);
    expect(res.json.affected.map((a: { id: string }) => a.id)).toEqual(
      expect.arrayContaining([
        'key:payments.checkout.sessionTtlSeconds',
        'key:identity.session.refreshAfterSeconds',
      ]),
    );
    expect(res.json.services.map((s: { service: string }) => s.service)).toEqual([
      'checkout-api',
      'session-api',
    ]);
    expect(res.json.plan.authors).toEqual(['identity']);
    expect(res.json.plan.signOff).toEqual(['payments']);
    expect(res.json.freezes).toEqual([
      { window: 'payments-launch', startsAt: '2026-11-26T08:00:00.000Z', inDays: 2, active: false },
    ]);
    expect(res.json.summary).toMatch(/touches 2 teams/);
    // checkout-timeouts@3 depends on it but changes none of the keys it reaches: no conflict.
    expect(res.json.bundles).toEqual([]);
    expect(res.json.plan.order.map((s: { id: string }) => s.id)).toContain('bundle:identity-session@2');
  });

  it('follows references held in one environment only, when asked about it', async () => {
    const body = { keys: ['payments.checkout.timeoutMs'], team: 'payments' };
    const staging = await api.call('POST', '/impact', { body: { ...body, environment: 'staging' } });
    const dev = await api.call('POST', '/impact', { body: { ...body, environment: 'dev' } });
    const ids = (res: typeof dev) => res.json.affected.map((a: { id: string }) => a.id);
    expect(ids(staging)).toContain('key:search.query.timeoutMs');
    expect(ids(dev)).not.toContain('key:search.query.timeoutMs');
    expect(staging.json.plan.signOff).toContain('search');
    expect(staging.json.environments).toEqual(['staging']);
  });

  it.each([
    ['an unknown field', { bundles: ['identity-session@2'], extra: 1 }, 'body.extra'],
    ['a malformed bundle ref', { bundles: ['identity-session'] }, 'body.bundles[0]'],
    ['a malformed key', { keys: ['Nope'] }, 'body.keys[0]'],
    ['an empty list', { keys: [] }, 'body.keys'],
    [
      'both bundles and keys',
      { bundles: ['identity-session@2'], keys: ['identity.mfa.required'] },
      'body.keys',
    ],
  ])('refuses %s with 4xx problem+json naming the field, writing nothing', async (_, body, path) => {
    const before = await api.table.dump();
    const res = await api.call('POST', '/impact', { body });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toContain('problem+json');
    expect(res.json.problems.map((p: { path: string }) => p.path)).toContain(path);
    expect(await api.table.dump()).toEqual(before);
  });

  it('is not-found for a bundle never pushed or an environment not in the catalog', async () => {
    const missing = await api.call('POST', '/impact', { body: { bundles: ['nope@1'] } });
    expect([missing.status, missing.json.code]).toEqual([404, 'not-found']);
    expect(missing.json.detail).toContain('nope@1');
    const env = await api.call('POST', '/impact', {
      body: { keys: ['identity.mfa.required'], environment: 'moon' },
    });
    expect(env.status).toBe(404);
  });

  it('serves a focused graph as JSON, DOT and Mermaid', async () => {
    const url = '/dependencies?focus=key:identity.session.ttlSeconds&depth=1';
    const json = await api.call('GET', url, { as: 'vera' });
    expect(json.status, json.text).toBe(200);
    expect(json.json.focus).toBe('key:identity.session.ttlSeconds');
    expect(json.json.nodes.map((n: { id: string }) => n.id)).toEqual(
      expect.arrayContaining(['namespace:identity', 'bundle:identity-session@2', 'service:checkout-api']),
    );
    expect(json.json.nodes.map((n: { id: string }) => n.id)).not.toContain('team:identity');
    expect(json.json.totals.nodes).toBeGreaterThan(json.json.nodes.length);
    const dot = await api.call('GET', `${url}&format=dot`);
    expect(dot.headers['content-type']).toContain('text/vnd.graphviz');
    expect(graphlibDot.read(dot.text).hasNode('key:identity.session.ttlSeconds')).toBe(true);
    const mermaid = await api.call('GET', `${url}&format=mermaid`);
    expect(mermaid.text.startsWith('flowchart')).toBe(true);
    const teams = await api.call('GET', '/dependencies?kinds=team,namespace');
    expect(new Set(teams.json.nodes.map((n: { kind: string }) => n.kind))).toEqual(
      new Set(['team', 'namespace']),
    );
  });

  it.each([
    ['/dependencies?depth=99', 'query.depth'],
    ['/dependencies?kinds=team,planet', 'query.kinds[1]'],
    ['/dependencies?focus=nokind', 'query.focus'],
    ['/dependencies?format=svg', 'query.format'],
    ['/dependencies?colour=red', 'query.colour'],
  ])('refuses %s naming %s', async (url, path) => {
    const res = await api.call('GET', url);
    expect(res.status).toBe(400);
    expect(res.json.problems.map((p: { path: string }) => p.path)).toContain(path);
  });

  it('is not-found for an unknown focus', async () => {
    const res = await api.call('GET', '/dependencies?focus=service:nope');
    expect(res.status).toBe(404);
  });

  it('finds the shortest path between two nodes, directed when one exists', async () => {
    const from = 'bundle:checkout-timeouts@3';
    const res = await api.call('GET', `/dependencies/path?from=${from}&to=key:identity.session.ttlSeconds`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.nodes).toEqual([from, 'bundle:identity-session@2', 'key:identity.session.ttlSeconds']);
    expect(res.json.directed).toBe(true);
    for (const query of [
      'from=team:search&to=service:nope',
      'from=service:nope&to=team:search',
      // dev runs no reported service: nothing links it to the rest.
      'from=environment:dev&to=team:search',
    ])
      expect((await api.call('GET', `/dependencies/path?${query}`)).status).toBe(404);
  });
});
