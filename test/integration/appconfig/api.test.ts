import { StartDeploymentCommand } from '@aws-sdk/client-appconfig';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { syncSummary } from '#cli/sync-format.ts';
import { runCli } from '#cli/run.ts';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import { createAppConfigHarness, type AppConfigHarness } from './support.ts';

const EU = 'env0eu1';
const AT = '2026-11-23T10:00:00.000Z';

let h: AppConfigHarness;
let next = 20;
const pushNext = async () => {
  next += 1;
  await h.push(next);
  return `identity-session@${next}`;
};
const deploy = async (env: string) =>
  h.api.call('POST', `/environments/${env}/deployments`, { body: { bundle: await pushNext() } });
const sinksOf = async (env: string, id: string) =>
  (await h.api.store.environments.getDeployment(env, id))?.sinks;

beforeAll(async () => {
  h = await createAppConfigHarness();
});
afterAll(async () => {
  await h.api.table.drop();
});
beforeEach(() => {
  vi.restoreAllMocks();
  h.fake.reset();
});

describe('deploy and rollback publish to the bound AppConfig environment', () => {
  it('answers the committed deployment with its sink status, recorded on the deployment', async () => {
    const res = await deploy('prod-eu');
    expect(res.status).toBe(201);
    const appconfig = { state: 'deploying', versionNumber: 1, deploymentNumber: 1, at: AT };
    expect(res.json).toMatchObject({
      deploymentId: expect.stringMatching(/^dpl-prod-eu-/),
      sinks: { appconfig },
    });
    const listed = await h.api.call('GET', '/environments/prod-eu/deployments?limit=1');
    expect(listed.json.deployments[0].sinks).toEqual({ appconfig });
  });

  it('binds by ids as well as by names', async () => {
    const res = await deploy('staging');
    expect(res.json.sinks.appconfig).toMatchObject({ state: 'deploying', deploymentNumber: 1 });
    expect(h.fake.mock.commandCalls(StartDeploymentCommand)[0]?.args[0].input).toMatchObject({
      EnvironmentId: 'env0stg',
      ConfigurationProfileId: 'prof0stg',
      DeploymentStrategyId: 'AppConfig.AllAtOnce',
    });
  });

  it('answers without sinks for an unbound environment, and calls no AppConfig', async () => {
    const res = await deploy('dev');
    expect(res.status).toBe(201);
    expect(res.json).not.toHaveProperty('sinks');
    expect(await sinksOf('dev', res.json.deploymentId)).toEqual({});
    expect(h.fake.mock.calls()).toHaveLength(0);
  });

  it('publishes a rollback as well: the configuration HEAD went back to', async () => {
    await deploy('prod-eu');
    h.fake.settle(EU, 1, 'COMPLETE');
    const res = await h.api.call('POST', '/environments/prod-eu/rollback', { body: {} });
    expect(res.status).toBe(201);
    expect(res.json.sinks.appconfig).toMatchObject({
      state: 'deploying',
      versionNumber: 2,
      deploymentNumber: 2,
    });
    const config = await h.api.call('GET', '/environments/prod-eu/config');
    expect(h.fake.versions.map((v) => v.description)).toEqual([
      expect.stringMatching(/^convoy dpl-prod-eu-/),
      `convoy ${res.json.deploymentId}`,
    ]);
    expect(h.fake.versions[1]?.content).toBe(config.text);
    expect(h.fake.versions[1]?.content).not.toBe(h.fake.versions[0]?.content);
  });

  it('keeps the committed deployment when AppConfig is busy: `failed` with the reason, after one quick retry', async () => {
    const held = h.fake.external({
      environmentId: EU,
      profileId: 'other',
      versionNumber: 1,
      state: 'DEPLOYING',
    });
    const res = await deploy('prod-eu');
    expect(res.status).toBe(201);
    expect(res.json.sinks.appconfig).toEqual({
      state: 'failed',
      versionNumber: 1,
      message: expect.stringContaining(
        `AppConfig environment prod-eu already has a deployment in progress (deployment ${held.deploymentNumber}); gave up after 2 attempts over 1 s.`,
      ),
      at: AT,
    });
    expect(h.fake.sleeps).toEqual([1000]);
    expect((await h.api.store.environments.getHead('prod-eu'))?.deploymentId).toBe(res.json.deploymentId);
    expect((await sinksOf('prod-eu', res.json.deploymentId))?.appconfig?.state).toBe('failed');
  });

  it('records `failed` when the publication breaks on the store side', async () => {
    // Only the publication reads the new snapshot; the deploy itself reads HEAD's.
    const snapshots = h.api.store.snapshots;
    const original = snapshots.getSnapshot.bind(snapshots);
    const live = (await h.api.store.environments.getHead('prod-eu'))?.snapshot;
    vi.spyOn(snapshots, 'getSnapshot').mockImplementation((hash) =>
      hash === live ? original(hash) : Promise.reject(new Error('store down')),
    );
    const res = await deploy('prod-eu');
    expect(res.status).toBe(201);
    const failed = {
      state: 'failed',
      message: 'Publishing to AppConfig failed; `convoy sync` retries it.',
      at: AT,
    };
    expect(res.json.sinks).toEqual({ appconfig: failed });
    expect(await sinksOf('prod-eu', res.json.deploymentId)).toEqual({ appconfig: failed });
  });

  it('still answers the committed deployment when not even `failed` can be recorded', async () => {
    vi.spyOn(h.api.store.environments, 'setSinkStatus').mockRejectedValue(new Error('store down'));
    const res = await deploy('prod-eu');
    expect(res.status).toBe(201);
    expect(res.json.sinks.appconfig.state).toBe('failed');
    vi.restoreAllMocks();
    expect(await sinksOf('prod-eu', res.json.deploymentId)).toEqual({});
  });
});

describe('POST /environments/{env}/sync', () => {
  it('reconciles a sink that failed to HEAD', async () => {
    const held = h.fake.external({
      environmentId: EU,
      profileId: 'other',
      versionNumber: 1,
      state: 'DEPLOYING',
    });
    const deployed = await deploy('prod-eu');
    expect(deployed.json.sinks.appconfig.state).toBe('failed');
    h.fake.settle(EU, held.deploymentNumber, 'COMPLETE');
    const res = await h.api.call('POST', '/environments/prod-eu/sync');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      environment: 'prod-eu',
      head: {
        version: expect.any(Number),
        snapshot: expect.any(String),
        deploymentId: deployed.json.deploymentId,
      },
      sinks: { appconfig: { state: 'deploying', versionNumber: 1, deploymentNumber: 2, at: AT } },
      action: 'published',
      reason: expect.stringMatching(/^the publication of HEAD failed: AppConfig environment prod-eu already/),
    });
    expect(h.fake.versions).toHaveLength(1);
    const again = await h.api.call('POST', '/environments/prod-eu/sync', { body: {} });
    expect(again.json).toMatchObject({ action: 'in-sync', reason: 'AppConfig deployment 2 is in progress' });
  });

  it('answers in-sync with no sinks for an unbound environment', async () => {
    const res = await h.api.call('POST', '/environments/prod-us/sync');
    expect(res.json).toEqual({
      environment: 'prod-us',
      head: { version: 0, snapshot: expect.any(String), deploymentId: null },
      sinks: {},
      action: 'in-sync',
      reason: 'prod-us is not bound to AppConfig',
    });
  });

  it.each([
    ['a malformed environment name', '/environments/Prod_EU/sync', {}, 400, 'path.env'],
    ['an unknown environment', '/environments/moon/sync', {}, 404, undefined],
    ['an unknown body field', '/environments/prod-eu/sync', { body: { force: true } }, 422, 'body'],
    [
      'a body that is not JSON',
      '/environments/prod-eu/sync',
      { raw: '{nope', headers: { 'content-type': 'application/json' } },
      400,
      undefined,
    ],
    ['a viewer', '/environments/prod-eu/sync', { as: 'vera' }, 403, undefined],
    ['a team member without release rights', '/environments/prod-eu/sync', { as: 'priya' }, 403, undefined],
    ['no principal', '/environments/prod-eu/sync', { as: null }, 403, undefined],
  ] as const)(
    'refuses %s with problem+json and writes nothing',
    async (_case, url, options, status, path) => {
      const before = await h.api.table.dump();
      const res = await h.api.call('POST', url, options);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      if (path)
        expect(res.json.problems.map((p: { path: string }) => p.path)).toContainEqual(
          expect.stringContaining(path),
        );
      expect(await h.api.table.dump()).toEqual(before);
      expect(h.fake.mock.calls()).toHaveLength(0);
    },
  );
});

describe('convoy sync', () => {
  let server: ApiServer;
  let stdout: string[];
  beforeAll(async () => {
    server = await startApiServer({ port: 0, deps: () => h.api.deps });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    stdout = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  const convoy = (...args: string[]) =>
    runCli(['node', 'convoy', ...args, '--api', server.url, '--as', 'olivia']);

  it('publishes a lagging sink and exits 0; in JSON too', async () => {
    await pushNext();
    const deployment = await h.commit('prod-eu', next);
    expect(await convoy('sync', '--env', 'prod-eu')).toBe(0);
    expect(stdout.join('')).toMatch(
      new RegExp(
        `prod-eu: published HEAD \\d+ \\(${deployment.id}\\) to AppConfig: deploying \\(version 1, deployment 1\\); HEAD was never published to the sink\\.`,
      ),
    );
    stdout.length = 0;
    expect(await convoy('sync', '--env', 'prod-eu', '--json')).toBe(0);
    expect(JSON.parse(stdout.join(''))).toMatchObject({
      action: 'in-sync',
      sinks: { appconfig: { state: 'deploying' } },
    });
  });

  it('exits 3 when the sink could not take HEAD', async () => {
    await pushNext();
    await h.commit('prod-eu', next);
    h.fake.external({ environmentId: EU, profileId: 'other', versionNumber: 1, state: 'DEPLOYING' });
    expect(await convoy('sync', '--env', 'prod-eu')).toBe(3);
    expect(stdout.join('')).toMatch(
      /prod-eu: AppConfig is not at HEAD \d+ \(dpl-prod-eu-\d+\): failed \(version 1\): AppConfig environment prod-eu already has a deployment in progress/,
    );
  });

  it('says when there is nothing to sync, and exits 2 without --env', async () => {
    expect(await convoy('sync', '--env', 'dev')).toBe(0);
    expect(stdout.join('')).toContain('dev: nothing to sync: dev is not bound to AppConfig.');
    expect(await convoy('sync')).toBe(2);
  });

  it('summarizes every outcome for people', () => {
    const head = { version: 4, snapshot: 'abc', deploymentId: 'dpl-prod-eu-4' };
    const base = {
      environment: 'prod-eu',
      head,
      action: 'in-sync' as const,
      reason: 'AppConfig serves HEAD (version 2)',
    };
    expect(
      syncSummary({
        ...base,
        sinks: { appconfig: { state: 'complete', versionNumber: 2, deploymentNumber: 5, at: AT } },
      }),
    ).toEqual({
      ok: true,
      text: 'prod-eu: AppConfig in sync with HEAD 4 (dpl-prod-eu-4): complete (version 2, deployment 5); AppConfig serves HEAD (version 2).',
    });
    expect(
      syncSummary({
        ...base,
        head: { ...head, deploymentId: null },
        sinks: { appconfig: { state: 'rolled-back', at: AT } },
      }),
    ).toEqual({
      ok: false,
      text: 'prod-eu: AppConfig is not at HEAD 4: rolled-back: AppConfig serves HEAD (version 2)',
    });
  });
});
