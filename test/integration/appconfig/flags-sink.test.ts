import { readFileSync } from 'node:fs';
import { StartDeploymentCommand } from '@aws-sdk/client-appconfig';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncSummary } from '#cli/sync-format.ts';
import { pollSinks, publishToSinks } from '#app/sinks/sync-sink.ts';
import { deployBundle } from '#app/deployments/change-environment.ts';
import type { SyncResponse } from '#api/deployments.ts';
import type { DeploymentRecord } from '#domain/environments/head.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { flagCatalogDocument, flagsBundle } from '../../support/flags.ts';
import { createFakeAppConfig, type FakeAppConfig } from './fake-appconfig.ts';

/**
 * An environment bound with `flagsProfile` delivers its flags as an AWS.AppConfig.FeatureFlags
 * hosted version in that profile, with its own status on the deployment record (`appconfigFlags`).
 * AppConfig (aws-sdk-client-mock) holds one deployment per environment: the flags wait for the
 * configuration's deployment and a poll or `convoy sync` starts them.
 */
const EU = 'env0eu1';
const FLAGS_PROFILE = 'prof0eu1f';
const golden = JSON.parse(readFileSync('test/fixtures/flags/exports/appconfig.json', 'utf8')) as {
  document: unknown;
  problems: { flag: string }[];
};
const refused = new Set(['cycle.a', 'cycle.b', 'checkout.needs-missing']);

let api: TestApi;
let fake: FakeAppConfig;
let deploymentId: string;

const record = async (): Promise<DeploymentRecord> => {
  const found = await api.store.environments.getDeployment('prod-eu', deploymentId);
  if (!found) throw new Error('no record');
  return found;
};

beforeAll(async () => {
  api = await createTestApi();
  fake = createFakeAppConfig();
  api.deps.appconfig = fake.publisher();
  const doc = flagCatalogDocument() as { environments: { name: string }[] };
  const catalog = {
    ...doc,
    environments: doc.environments.map((env) =>
      env.name === 'prod-eu'
        ? {
            ...env,
            appconfig: {
              application: 'convoy-shop',
              environment: 'prod-eu',
              profile: 'convoy-config',
              flagsProfile: 'convoy-flags',
              deploymentStrategy: 'linear',
            },
          }
        : env,
    ),
  };
  expect((await api.call('PUT', '/catalog', { body: catalog })).status).toBe(200);
  expect((await api.call('POST', '/bundles', { body: flagsBundle })).status).toBe(201);
});
afterAll(async () => {
  await api.table.drop();
});

describe('AppConfig delivery of flags', () => {
  it('writes the flags document to the flags profile; it waits while the configuration deploys', async () => {
    const res = await api.call('POST', '/environments/prod-eu/deployments', {
      body: { bundle: 'checkout-flags@1' },
    });
    expect(res.status, res.text).toBe(201);
    deploymentId = res.json.deploymentId as string;
    const omitted = golden.problems.map((p) => p.flag).filter((flag) => !refused.has(flag));
    expect(res.json.sinks).toEqual({
      appconfig: { state: 'deploying', versionNumber: 1, deploymentNumber: 1, at: expect.any(String) },
      appconfigFlags: {
        state: 'pending',
        versionNumber: 1,
        message: 'waiting for the AppConfig environment: another deployment holds it',
        omitted,
        at: expect.any(String),
      },
    });
    const flagsVersion = fake.versions.find((v) => v.profileId === FLAGS_PROFILE);
    expect(flagsVersion?.description).toBe(`convoy ${deploymentId}`);
    // The golden document: exactly the flags the format can express, nothing else.
    expect(JSON.parse(flagsVersion?.content ?? '')).toEqual(golden.document);
    // One attempt only (no backoff inside the API request).
    expect(fake.sleeps).toEqual([]);
    expect((await record()).sinks.appconfigFlags?.state).toBe('pending');
  });

  it('a poll while the environment is busy keeps waiting; once free, it starts the flags deployment', async () => {
    const catalog = (await api.store.catalogs.getCatalog())!.catalog;
    const busy = await pollSinks(api.deps, catalog, 'prod-eu', deploymentId);
    expect(busy.map((s) => s.state)).toEqual(['deploying', 'pending']);
    const waiting = (await api.call('POST', '/environments/prod-eu/sync')).json as SyncResponse;
    expect(waiting.flags).toEqual({
      action: 'in-sync',
      reason: 'waiting for the AppConfig environment: another deployment holds it',
    });
    fake.settle(EU, 1, 'COMPLETE');
    const freed = await pollSinks(api.deps, catalog, 'prod-eu', deploymentId);
    expect(freed.map((s) => s.state)).toEqual(['complete', 'deploying']);
    const started = fake.mock.commandCalls(StartDeploymentCommand).at(-1)?.args[0].input;
    expect(started).toMatchObject({ ConfigurationProfileId: FLAGS_PROFILE, ConfigurationVersion: '1' });
    expect((await record()).sinks.appconfigFlags).toMatchObject({ state: 'deploying', deploymentNumber: 2 });
  });

  it('convoy sync reports both profiles; the deployment list shows the flags status', async () => {
    fake.settle(EU, 2, 'COMPLETE');
    const res = await api.call('POST', '/environments/prod-eu/sync');
    expect(res.status, res.text).toBe(200);
    const body = res.json as SyncResponse;
    expect(body.sinks.appconfigFlags).toMatchObject({
      state: 'complete',
      versionNumber: 1,
      deploymentNumber: 2,
    });
    expect(body.flags?.action).toBe('in-sync');
    const summary = syncSummary(body);
    expect(summary.ok).toBe(true);
    expect(summary.text.split('\n')[1]).toMatch(
      /^prod-eu: AppConfig flags in-sync: complete \(version 1, deployment 2\); .*not expressible, left out: checkout\.by-account/,
    );
    const list = await api.call('GET', '/environments/prod-eu/deployments');
    expect(list.json.deployments[0].sinks.appconfigFlags.state).toBe('complete');
  });

  it('a rolled-back flags deployment is published again by sync and reported not ok until then', async () => {
    fake.settle(EU, 2, 'ROLLED_BACK');
    const res = await api.call('POST', '/environments/prod-eu/sync');
    const body = res.json as SyncResponse;
    expect(body.flags).toEqual({ action: 'published', reason: 'AppConfig rolled HEAD back' });
    expect(body.sinks.appconfigFlags).toMatchObject({ state: 'deploying', deploymentNumber: 3 });
    fake.settle(EU, 3, 'ROLLED_BACK');
    const catalog = (await api.store.catalogs.getCatalog())!.catalog;
    await pollSinks(api.deps, catalog, 'prod-eu', deploymentId);
    const failed = syncSummary({
      ...body,
      sinks: { ...body.sinks, appconfigFlags: (await record()).sinks.appconfigFlags! },
    });
    expect(failed.ok).toBe(false);
  });

  it('a rollout phase publishes to both profiles (publishToSinks), configuration first', async () => {
    fake.settle(EU, 3, 'COMPLETE');
    const changed = { ...flagsBundle, version: '2', changes: flagsBundle.changes.slice(0, 3) };
    expect((await api.call('POST', '/bundles', { body: changed })).status).toBe(201);
    const stored = (await api.store.catalogs.getCatalog())!;
    const { deployment } = await deployBundle(
      api.deps,
      { environment: 'prod-eu', principal: 'olivia', at: api.clock.now.toISOString(), catalog: stored },
      { name: 'checkout-flags', version: '2' },
    );
    const sinks = await publishToSinks(api.deps, stored.catalog, 'prod-eu', deployment.id);
    expect(sinks.appconfig).toMatchObject({ state: 'deploying', deploymentNumber: 4 });
    expect(sinks.appconfigFlags).toMatchObject({ state: 'pending', versionNumber: 2 });
  });

  it('a flags profile AppConfig does not know is a failed flags status; the configuration is unaffected', async () => {
    const stored = (await api.store.catalogs.getCatalog())!;
    const rebound = {
      ...stored.catalog,
      environments: stored.catalog.environments.map((env) =>
        env.appconfig ? { ...env, appconfig: { ...env.appconfig, flagsProfile: 'no-such-profile' } } : env,
      ),
    };
    expect((await api.call('PUT', '/catalog', { body: rebound })).status).toBe(200);
    fake.settle(EU, 4, 'COMPLETE');
    const res = await api.call('POST', '/environments/prod-eu/sync');
    const body = res.json as SyncResponse;
    expect(body.sinks.appconfig?.state).toBe('complete');
    expect(body.sinks.appconfigFlags).toMatchObject({
      state: 'failed',
      message: expect.stringMatching(/no-such-profile/),
    });
    expect(syncSummary(body).ok).toBe(false);
  });
});
