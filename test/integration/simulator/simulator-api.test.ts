import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import { checkoutTimeouts, sessionTtl } from '../../fixtures/bundles.ts';
import { createTestApi, fixtureCatalogYaml, type TestApi } from '../../support/api.ts';
import { exposureOf, lines, simulate, ungated } from './support.ts';

/**
 * Seeding from the running API: the catalog (and its strategies), the bundle by reference, and the
 * current state of every environment the strategy touches, rebuilt in a scratch table. The API's own
 * table is never written.
 */
const ENVS = ['dev', 'staging', 'prod-eu', 'prod-us'];
const tune = (version: string, changes: unknown[]) => ({
  name: 'session-tune',
  version,
  release: '2026.12-R2',
  team: 'identity',
  changes,
});

const guard = {
  name: 'session-guard',
  version: '1',
  release: '2026.12-R3',
  team: 'identity',
  requires: [{ service: 'session-api', range: '>=5.0.0' }],
  changes: [{ set: 'identity.session.cookieName', value: 'guard' }],
};

let api: TestApi;
let server: ApiServer | undefined;
let apiUrl = '';
const heads: Record<string, string> = {};

const ok = async (method: string, url: string, body: unknown, as = 'olivia'): Promise<void> => {
  const result = await api.call(method, url, { as, body });
  if (result.status >= 300) throw new Error(`${method} ${url}: ${result.text}`);
};

beforeAll(async () => {
  api = await createTestApi();
  const strategy = `strategies:\n  - ${JSON.stringify(ungated())}\n`;
  const catalog = await api.call('PUT', '/catalog', {
    raw: `${fixtureCatalogYaml.trimEnd()}\n${strategy}`,
    headers: { 'content-type': 'application/yaml' },
  });
  if (catalog.status !== 200) throw new Error(catalog.text);
  for (const bundle of [
    sessionTtl,
    checkoutTimeouts,
    tune('1', [{ set: 'identity.session.ttlSeconds', value: 120 }]),
  ])
    await ok('POST', '/bundles', bundle);
  await ok('POST', '/bundles', tune('2', [{ set: 'identity.session.cookieName', value: 'sid' }]));
  for (const env of ENVS) {
    await ok('PUT', `/environments/${env}/services/checkout-api`, { version: '2.4.0' }, 'priya');
    if (env !== 'prod-us')
      await ok('POST', `/environments/${env}/deployments`, { bundle: 'identity-session@2' });
  }
  // prod-us: a history its current bundles alone do not rebuild (v1's key outlives v2), and a bundle
  // that no longer deploys there (the session-api it requires was downgraded since).
  await ok('POST', '/environments/prod-us/deployments', { bundle: 'session-tune@1' });
  await ok('POST', '/environments/prod-us/deployments', { bundle: 'session-tune@2' });
  await ok('POST', '/bundles', guard);
  await ok('PUT', '/environments/prod-us/services/session-api', { version: '5.1.0' }, 'ivan');
  await ok('POST', '/environments/prod-us/deployments', { bundle: 'session-guard@1' });
  await ok('PUT', '/environments/prod-us/services/session-api', { version: '4.0.0' }, 'ivan');
  for (const env of ENVS) heads[env] = (await api.store.environments.getHead(env))?.snapshot ?? '';
  server = await startApiServer({ port: 0, deps: () => api.deps });
  apiUrl = server.url;
});

afterAll(async () => {
  await server?.close();
  await api.table.drop();
});

describe('simulator seeded from the API', () => {
  it('rebuilds the environments as the API has them, runs the strategy by name, and writes nothing there', async () => {
    const before = await api.table.dump();
    const run = await simulate({
      catalog: { apiUrl, principal: 'olivia' },
      strategy: { name: 'standard' },
      bundle: { ref: 'checkout-timeouts@3' },
      scenario: { alarms: [{ alarm: 'prod-eu-checkout-p99', state: 'ALARM', from: 'PT30M' }] },
    });
    expect(run.outcome).toBe('rolled-back');
    expect(exposureOf(run)).toEqual([
      'dev +00:00:00→+00:30:00 rolled back',
      'staging +00:05:00→+00:30:00 rolled back',
      'prod-eu +00:20:00→+00:30:00 rolled back',
    ]);
    // Each phase deployed on top of the environment's HEAD as the API has it.
    for (const entry of run.timeline.filter((e) => e.event === 'PhaseDeployed'))
      expect(entry.detail).toContain(`(snapshot ${heads[entry.environment ?? '']?.slice(0, 12)} →`);
    expect(run.notes).toEqual([
      expect.stringMatching(
        /^prod-us: session-guard@1 could not be deployed again \(.+\); it is left out\.$/,
      ),
      expect.stringMatching(
        /^prod-us: rebuilt from its bundles \(session-tune@2, session-guard@1\), its configuration differs from the API's/,
      ),
    ]);
    expect(await api.table.dump()).toEqual(before);
    // The process's handlers are the API's again.
    expect((await api.call('GET', '/environments', { as: 'vera' })).status).toBe(200);
  });

  it('starts as a release manager when the reader may not start rollouts, and says so', async () => {
    const run = await simulate({
      catalog: { apiUrl, principal: 'vera' },
      strategy: ungated(),
      // A document of a bundle the API has, with the same content, is that bundle.
      bundle: { document: sessionTtl },
    });
    expect(run.outcome).toBe('succeeded');
    expect(lines(run.timeline, ['RolloutStarted'])).toEqual(['+00:00:00 RolloutStarted - -']);
    expect(run.timeline[0]?.detail).toContain('by olivia');
    expect(run.notes).toContain('vera may not start rollouts: simulated as olivia.');
  });

  it("holds the rollout by the API's own freeze calendar too", async () => {
    await ok('POST', '/freezes', {
      windows: [
        {
          id: 'prod-maintenance',
          name: 'Production maintenance',
          scope: { environments: ['prod-*'] },
          schedule: { start: '2026-12-01T09:10:00Z', end: '2026-12-01T11:00:00Z' },
          level: 'hard',
        },
      ],
    });
    const before = await api.table.dump();
    const run = await simulate({
      catalog: { apiUrl, principal: 'olivia' },
      strategy: ungated(),
      bundle: { ref: 'identity-session@2' },
    });
    expect(run.outcome).toBe('succeeded');
    expect(lines(run.timeline, ['FreezeApplied', 'Resumed'])).toEqual([
      '+00:10:00 FreezeApplied staging -',
      '+02:00:00 Resumed staging -',
    ]);
    expect(await api.table.dump()).toEqual(before);
  });

  it('refuses a bundle document that differs from the bundle of that version the API has', async () => {
    const changed = { ...sessionTtl, changes: [{ set: 'identity.session.ttlSeconds', value: 9000 }] };
    await expect(
      simulate({ catalog: { apiUrl, principal: 'olivia' }, bundle: { document: changed } }),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('identity-session@2') });
  });

  it('pushes a bundle document the API does not have to the scratch table only', async () => {
    const before = await api.table.dump();
    const run = await simulate({
      catalog: { apiUrl, principal: 'olivia' },
      bundle: { document: tune('3', [{ set: 'identity.session.ttlSeconds', value: 900 }]) },
      strategy: ungated(),
      scenario: { alarms: [{ alarm: 'dev-5xx-rate', state: 'ALARM', from: 'PT1M' }] },
    });
    expect([run.outcome, run.reason]).toEqual(['rolled-back', 'ALARM dev-5xx-rate']);
    expect(await api.table.dump()).toEqual(before);
  });

  it('refuses a bundle reference that is not name@version', async () => {
    await expect(
      simulate({ catalog: { apiUrl, principal: 'olivia' }, bundle: { ref: 'no-version' } }),
    ).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('fails with the API problem for a bundle the API does not have', async () => {
    await expect(
      simulate({ catalog: { apiUrl, principal: 'olivia' }, bundle: { ref: 'nope@1' } }),
    ).rejects.toMatchObject({ exitCode: 1, message: expect.stringContaining('nope@1') });
  });
});
