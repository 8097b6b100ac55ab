import { beforeAll, describe, expect, it } from 'vitest';
import { checkoutCurrency, checkoutTimeouts, sessionTtl } from '../fixtures/bundles.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

const config = async (api: TestApi, env: string) =>
  (await api.call('GET', `/environments/${env}/config`)).json;

describe('deployment routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
    for (const bundle of [checkoutTimeouts, sessionTtl, checkoutCurrency]) {
      expect((await api.call('POST', '/bundles', { body: bundle })).status).toBe(201);
    }
  });

  it('refuses a bundle whose required service version is not deployed, with every problem', async () => {
    const before = await api.table.dump();
    const res = await api.call('POST', '/environments/dev/deployments', {
      body: { bundle: 'checkout-timeouts@3' },
    });
    expect(res.status).toBe(422);
    expect(res.json.problems).toContainEqual(expect.objectContaining({ code: 'service.not-deployed' }));
    expect(await api.table.dump()).toEqual(before);
  });

  it('deploys once CI/CD reports the service version, and the config shows it', async () => {
    const report = await api.call('PUT', '/environments/dev/services/checkout-api', {
      as: 'priya',
      body: { version: '2.4.0' },
    });
    expect(report.status).toBe(200);
    const res = await api.call('POST', '/environments/dev/deployments', {
      body: { bundle: 'checkout-timeouts@3' },
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      deploymentId: 'dpl-dev-1',
      environment: 'dev',
      head: { version: 1, snapshot: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(await config(api, 'dev')).toMatchObject({
      'payments.checkout.timeoutMs': 2500,
      'payments.checkout.retryBudgetMs': 2500,
      'payments.checkout.legacyMode': false,
    });
  });

  it('refuses to deploy the same bundle twice', async () => {
    const res = await api.call('POST', '/environments/dev/deployments', {
      body: { bundle: 'checkout-timeouts@3' },
    });
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('already-deployed');
  });

  it('refuses a bundle whose dependency is not deployed there yet', async () => {
    const res = await api.call('POST', '/environments/dev/deployments', {
      body: { bundle: 'checkout-currency@1' },
    });
    expect(res.status).toBe(422);
    expect(res.json.problems).toContainEqual(expect.objectContaining({ code: 'dependency.not-deployed' }));
  });

  it('treats a retried request with the same Idempotency-Key as the same deployment', async () => {
    const headers = { 'idempotency-key': 'ci-run-42' };
    const first = await api.call('POST', '/environments/dev/deployments', {
      body: { bundle: 'identity-session@2' },
      headers,
    });
    const again = await api.call('POST', '/environments/dev/deployments', {
      body: { bundle: 'identity-session@2' },
      headers,
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json.deploymentId).toBe(first.json.deploymentId);
    const history = await api.call('GET', '/environments/dev/deployments');
    expect(
      history.json.deployments.filter(
        (d: { bundle?: { name: string } }) => d.bundle?.name === 'identity-session',
      ),
    ).toHaveLength(1);
  });

  it('answers 412 with the current HEAD when If-Match is stale', async () => {
    const res = await api.call('POST', '/environments/dev/deployments', {
      body: { bundle: 'checkout-currency@1' },
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(412);
    expect(res.json.head.version).toBe(2);
    const ok = await api.call('POST', '/environments/dev/deployments', {
      body: { bundle: 'checkout-currency@1' },
      headers: { 'if-match': '2' },
    });
    expect(ok.status).toBe(201);
  });

  it('rolls back to the previous snapshot', async () => {
    const res = await api.call('POST', '/environments/dev/rollback', { body: {} });
    expect(res.status).toBe(201);
    expect(res.json.rolledBackTo).toBe('dpl-dev-2');
    expect((await config(api, 'dev'))['payments.checkout.currency']).toBe('EUR');
  });

  it('rolls back to a named deployment', async () => {
    const res = await api.call('POST', '/environments/dev/rollback', { body: { to: 'dpl-dev-1' } });
    expect(res.status).toBe(201);
    expect((await config(api, 'dev'))['identity.session.ttlSeconds']).toBe(3600);
    expect((await api.call('GET', '/environments')).json.environments[0].bundles).toEqual([
      'checkout-timeouts@3',
    ]);
  });

  it('answers 404 for an unknown named deployment and 409 when there is nothing to roll back', async () => {
    expect(
      (await api.call('POST', '/environments/dev/rollback', { body: { to: 'dpl-dev-99' } })).status,
    ).toBe(404);
    expect((await api.call('POST', '/environments/staging/rollback')).status).toBe(409);
  });

  it.each([
    ['a viewer', 'vera', 'deployments'],
    ['a team member', 'priya', 'deployments'],
    ['an approver', 'alex', 'rollback'],
    ['a team member', 'ivan', 'rollback'],
  ])('forbids %s (%s) to change an environment', async (_label, as, route) => {
    const before = await api.table.dump();
    const res = await api.call('POST', `/environments/staging/${route}`, {
      as,
      body: { bundle: 'identity-session@2' },
    });
    expect(res.status).toBe(403);
    expect(await api.table.dump()).toEqual(before);
  });

  it.each([
    ['an unknown environment', '/environments/moon/deployments', { bundle: 'identity-session@2' }, 404],
    [
      'a hostile environment name',
      '/environments/..%2F..%00/deployments',
      { bundle: 'identity-session@2' },
      400,
    ],
    ['a malformed bundle ref', '/environments/staging/deployments', { bundle: 'identity-session' }, 422],
    [
      'an unknown body field',
      '/environments/staging/deployments',
      { bundle: 'identity-session@2', force: true },
      422,
    ],
    ['an unpushed bundle', '/environments/staging/deployments', { bundle: 'ghost@1' }, 404],
  ])('rejects %s, writing nothing', async (_label, url, body, status) => {
    const before = await api.table.dump();
    const res = await api.call('POST', url, { body });
    expect(res.status).toBe(status);
    expect(await api.table.dump()).toEqual(before);
  });

  it('names the Idempotency-Key rule', async () => {
    const res = await api.call('POST', '/environments/staging/deployments', {
      body: { bundle: 'identity-session@2' },
      headers: { 'idempotency-key': 'has spaces' },
    });
    expect(res.status).toBe(400);
    expect(res.json.problems[0].path).toBe('header.idempotency-key');
  });

  it('lists deployments newest first', async () => {
    const res = await api.call('GET', '/environments/dev/deployments?limit=2', { as: 'vera' });
    expect(res.json.deployments.map((d: { id: string }) => d.id)).toEqual(['dpl-dev-5', 'dpl-dev-4']);
    expect((await api.call('GET', '/environments/dev/deployments?limit=0')).status).toBe(400);
    expect((await api.call('GET', '/environments/moon/deployments')).status).toBe(404);
  });
});
