import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, fixtureCatalogYaml, type TestApi } from '../support/api.ts';

/**
 * Symptom (issue 10, item 3): `Idempotency-Key: K` with `conc@9` deployed; the same K with `conc@7`
 * answered 201 with conc@9's deployment, and the same K on `POST /rollback` answered 201 and rolled
 * nothing back. A key names one request (route, canonical body, principal) for 24 hours: any other
 * request with it is 422 `idempotency.mismatch`, and nothing is written.
 */
const conc = (version: string, timeoutMs: number) => ({
  name: 'conc',
  version,
  release: '2026.12-R1',
  team: 'payments',
  changes: [{ set: 'payments.checkout.timeoutMs', value: timeoutMs }],
});

describe('regression: a reused Idempotency-Key returned another deployment', () => {
  let api: TestApi;
  const K = { 'idempotency-key': 'ci-run-77' };
  const deploy = (bundle: string, as = 'olivia') =>
    api.call('POST', '/environments/dev/deployments', { as, body: { bundle }, headers: K });

  beforeAll(async () => {
    api = await createTestApi();
    // A second release manager, to reuse the key as another principal.
    const catalog = fixtureCatalogYaml.replace(
      'roles:\n',
      'roles:\n  - { principal: rita, roles: [release-manager] }\n',
    );
    const applied = await api.call('PUT', '/catalog', {
      raw: catalog,
      headers: { 'content-type': 'application/yaml' },
    });
    expect(applied.status).toBe(200);
    for (const bundle of [conc('7', 2500), conc('9', 3000)]) {
      expect((await api.call('POST', '/bundles', { body: bundle })).status).toBe(201);
    }
  });

  it('deploys conc@9 under the key', async () => {
    const first = await deploy('conc@9');
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ deploymentId: 'dpl-dev-1', head: { version: 1 } });
  });

  it('refuses the key with another body (conc@7), writing nothing', async () => {
    const before = await api.table.dump();
    const res = await deploy('conc@7');
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json).toMatchObject({
      code: 'idempotency.mismatch',
      idempotencyKey: 'ci-run-77',
      deploymentId: 'dpl-dev-1',
      problems: [{ code: 'idempotency.mismatch', path: 'header.idempotency-key' }],
    });
    expect(await api.table.dump()).toEqual(before);
  });

  it('refuses the key on the rollback route, writing nothing', async () => {
    const before = await api.table.dump();
    const res = await api.call('POST', '/environments/dev/rollback', { body: {}, headers: K });
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('idempotency.mismatch');
    expect(await api.table.dump()).toEqual(before);
  });

  it('refuses the key sent by another principal, writing nothing', async () => {
    const before = await api.table.dump();
    const res = await deploy('conc@9', 'rita');
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('idempotency.mismatch');
    expect(await api.table.dump()).toEqual(before);
  });

  it('replays the original answer to the same request, even after HEAD moved', async () => {
    const moved = await api.call('POST', '/environments/dev/rollback', { body: {} });
    expect(moved.status).toBe(201);
    const before = await api.table.dump();
    const again = await deploy('conc@9');
    expect(again.status).toBe(201);
    expect(again.headers.etag).toBe('"1"');
    expect(again.json).toEqual({
      deploymentId: 'dpl-dev-1',
      environment: 'dev',
      head: { version: 1, snapshot: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(await api.table.dump()).toEqual(before);
  });

  it('treats the key as new 24 hours later', async () => {
    api.clock.now = new Date(api.clock.now.getTime() + 24 * 60 * 60 * 1000 + 1000);
    const res = await deploy('conc@7');
    expect(res.status).toBe(201);
    expect(res.json.deploymentId).toBe('dpl-dev-3');
    const history = (await api.call('GET', '/environments/dev/deployments')).json.deployments as {
      id: string;
    }[];
    expect(history.map((d) => d.id)).toEqual(['dpl-dev-3', 'dpl-dev-2', 'dpl-dev-1']);
  });
});
