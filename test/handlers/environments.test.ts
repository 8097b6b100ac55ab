import { beforeAll, describe, expect, it } from 'vitest';
import { checkoutTimeouts, sessionTtl } from '../fixtures/bundles.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

describe('environment routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
    await api.call('POST', '/bundles', { body: checkoutTimeouts });
    await api.call('POST', '/bundles', { body: sessionTtl });
    await api.call('PUT', '/environments/staging/services/checkout-api', { body: { version: '2.3.0' } });
    await api.call('POST', '/environments/staging/deployments', { body: { bundle: 'checkout-timeouts@3' } });
  });

  it('lists environments in promotion order with HEADs, bundles and services', async () => {
    const res = await api.call('GET', '/environments', { as: 'vera' });
    expect(res.json.environments.map((e: { name: string }) => e.name)).toEqual([
      'dev',
      'staging',
      'prod-eu',
      'prod-us',
    ]);
    expect(res.json.environments[1]).toMatchObject({
      name: 'staging',
      head: { version: 1, deploymentId: 'dpl-staging-1' },
      bundles: ['checkout-timeouts@3'],
      services: [{ service: 'checkout-api', version: '2.3.0' }],
    });
  });

  it('serves the config as a flat JSON map with references resolved and defaults filled in', async () => {
    const res = await api.call('GET', '/environments/prod-eu/config');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.text)).toEqual({
      'payments.checkout.timeoutMs': 2000,
      'payments.checkout.retryBudgetMs': 2000,
      'payments.checkout.legacyMode': false,
      'payments.checkout.currency': 'EUR',
      'identity.session.ttlSeconds': 3600,
      'identity.session.cookieName': 'convoy_session',
    });
  });

  it('renders yaml and dotenv, filtered by a key prefix', async () => {
    const yaml = await api.call('GET', '/environments/staging/config?format=yaml&prefix=payments.checkout');
    expect(yaml.headers['content-type']).toBe('application/yaml');
    expect(yaml.text).toContain('payments.checkout.timeoutMs: 2500');
    expect(yaml.text).not.toContain('identity');
    const dotenv = await api.call('GET', '/environments/staging/config?format=dotenv&prefix=identity');
    expect(dotenv.text).toMatch(/^IDENTITY_SESSION_TTL_SECONDS=3600$/m);
    expect(dotenv.text).not.toContain('PAYMENTS');
  });

  it('supports conditional reads: If-None-Match answers 304 until HEAD moves', async () => {
    const first = await api.call('GET', '/environments/prod-us/config');
    const etag = first.headers.etag!;
    const again = await api.call('GET', '/environments/prod-us/config', {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const otherFormat = await api.call('GET', '/environments/prod-us/config?format=yaml', {
      headers: { 'if-none-match': etag },
    });
    expect(otherFormat.status).toBe(200);
    await api.call('POST', '/environments/prod-us/deployments', { body: { bundle: 'identity-session@2' } });
    const moved = await api.call('GET', '/environments/prod-us/config', {
      headers: { 'if-none-match': etag },
    });
    expect(moved.status).toBe(200);
  });

  it.each([
    ['an unknown format', '/environments/dev/config?format=toml'],
    ['an unknown query field', '/environments/dev/config?pretty=yes'],
    ['a hostile prefix', '/environments/dev/config?prefix=..%2F'],
  ])('rejects %s with 400 naming the query field', async (_label, url) => {
    const res = await api.call('GET', url);
    expect(res.status).toBe(400);
    expect(res.json.problems[0].path).toMatch(/^query\./);
  });

  it('records service versions reported by the owning team or a release manager', async () => {
    const own = await api.call('PUT', '/environments/dev/services/session-api', {
      as: 'ivan',
      body: { version: '1.9.2' },
    });
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({
      environment: 'dev',
      service: 'session-api',
      version: '1.9.2',
      reportedBy: 'ivan',
    });
    const list = await api.call('GET', '/environments/dev/services', { as: 'vera' });
    expect(list.json.services).toContainEqual(
      expect.objectContaining({ service: 'session-api', version: '1.9.2' }),
    );
  });

  it.each([
    ['another team', 'priya', '/environments/dev/services/session-api', { version: '1.0.0' }, 403],
    ['a viewer', 'vera', '/environments/dev/services/session-api', { version: '1.0.0' }, 403],
    ['an unknown service', 'olivia', '/environments/dev/services/ghost', { version: '1.0.0' }, 404],
    [
      'an unknown environment',
      'olivia',
      '/environments/moon/services/session-api',
      { version: '1.0.0' },
      404,
    ],
    ['a non-semver version', 'olivia', '/environments/dev/services/session-api', { version: 'latest' }, 422],
    [
      'an unknown field',
      'olivia',
      '/environments/dev/services/session-api',
      { version: '1.0.0', sha: 'abc' },
      422,
    ],
  ])('refuses a service report from/for %s, writing nothing', async (_label, as, url, body, status) => {
    const before = await api.table.dump();
    const res = await api.call('PUT', url, { as, body });
    expect(res.status).toBe(status);
    expect(await api.table.dump()).toEqual(before);
  });

  it('answers 404 for the config and services of an unknown environment', async () => {
    expect((await api.call('GET', '/environments/moon/config')).status).toBe(404);
    expect((await api.call('GET', '/environments/moon/services')).status).toBe(404);
  });
});
