import { StartDeploymentCommand } from '@aws-sdk/client-appconfig';
import {
  AppConfigDataClient,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncSummary } from '#cli/sync-format.ts';
import { pollSinks } from '#app/sinks/sync-sink.ts';
import type { SyncResponse } from '#api/deployments.ts';
import type { DeploymentRecord } from '#domain/environments/head.ts';
import { appConfigFlagSetLoader } from '#flags-provider/appconfig-loader.ts';
import { ConvoyProvider } from '#flags-provider/convoy-provider.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { flagCatalogDocument, flagsBundle } from '../../support/flags.ts';
import { createFakeAppConfig, type FakeAppConfig } from './fake-appconfig.ts';

/**
 * An environment bound with `flagSetProfile` delivers its Convoy flag set (the document GET
 * /environments/{env}/flags answers) as a hosted version of that freeform profile, with its own
 * status on the deployment record (`appconfigFlagSet`). AppConfig (aws-sdk-client-mock) holds one
 * deployment per environment: the flag set waits for the configuration and the flags documents.
 */
const EU = 'env0eu1';
const FLAG_SET_PROFILE = 'prof0eu1s';
const gated = {
  type: 'boolean',
  enabled: true,
  defaultVariant: 'on',
  requires: [{ service: 'checkout-api', range: '>=2.3.0' }],
};

let api: TestApi;
let fake: FakeAppConfig;
let deploymentId: string;

const record = async (): Promise<DeploymentRecord> => {
  const found = await api.store.environments.getDeployment('prod-eu', deploymentId);
  if (!found) throw new Error('no record');
  return found;
};
const flagSetVersions = () => fake.versions.filter((v) => v.profileId === FLAG_SET_PROFILE);
const catalogOf = async () => (await api.store.catalogs.getCatalog())!.catalog;

beforeAll(async () => {
  api = await createTestApi();
  fake = createFakeAppConfig();
  api.deps.appconfig = fake.publisher();
  const doc = flagCatalogDocument() as { environments: { name: string }[]; flags: unknown[] };
  const catalog = {
    ...doc,
    flags: [...doc.flags, { key: 'checkout.gated', type: 'boolean' }],
    environments: doc.environments.map((env) =>
      env.name === 'prod-eu'
        ? {
            ...env,
            appconfig: {
              application: 'convoy-shop',
              environment: 'prod-eu',
              profile: 'convoy-config',
              flagsProfile: 'convoy-flags',
              flagSetProfile: 'convoy-flag-set',
              deploymentStrategy: 'linear',
            },
          }
        : env,
    ),
  };
  expect((await api.call('PUT', '/catalog', { body: catalog })).status).toBe(200);
  const bundle = {
    ...flagsBundle,
    changes: [...flagsBundle.changes, { set: 'checkout.gated', value: gated }],
  };
  expect((await api.call('POST', '/bundles', { body: bundle })).status).toBe(201);
  const reported = await api.call('PUT', '/environments/prod-eu/services/checkout-api', {
    body: { version: '2.3.1' },
  });
  expect(reported.status, reported.text).toBe(200);
});
afterAll(async () => {
  await api.table.drop();
});

describe('AppConfig delivery of the flag set', () => {
  it('writes the flag set GET /environments/{env}/flags answers; it waits while the environment is held', async () => {
    const res = await api.call('POST', '/environments/prod-eu/deployments', {
      body: { bundle: 'checkout-flags@1' },
    });
    expect(res.status, res.text).toBe(201);
    deploymentId = res.json.deploymentId as string;
    const waiting = 'waiting for the AppConfig environment: another deployment holds it';
    expect(res.json.sinks.appconfig).toMatchObject({ state: 'deploying', deploymentNumber: 1 });
    expect(res.json.sinks.appconfigFlags).toMatchObject({ state: 'pending', message: waiting });
    expect(res.json.sinks.appconfigFlagSet).toEqual({
      state: 'pending',
      versionNumber: 1,
      message: waiting,
      at: expect.any(String),
    });
    const [version] = flagSetVersions();
    expect(version?.description).toBe(`convoy ${deploymentId}`);
    // The same bytes as the API's answer: flags, segments, the required service's version, ETag.
    const served = await api.call('GET', '/environments/prod-eu/flags');
    expect(version?.content).toBe(JSON.stringify(served.json));
    expect(JSON.parse(version?.content ?? '')).toMatchObject({
      environment: 'prod-eu',
      etag: served.headers['etag'],
      services: { 'checkout-api': '2.3.1' },
      flags: { 'checkout.gated': { requires: gated.requires } },
    });
    expect(fake.sleeps).toEqual([]);
    expect((await record()).sinks.appconfigFlagSet?.state).toBe('pending');
  });

  it('polls start the flags, then the flag set, each once the environment is free', async () => {
    const catalog = await catalogOf();
    fake.settle(EU, 1, 'COMPLETE');
    const flagsStarted = await pollSinks(api.deps, catalog, 'prod-eu', deploymentId);
    expect(flagsStarted.map((s) => s.state)).toEqual(['complete', 'deploying', 'pending']);
    const busy = (await api.call('POST', '/environments/prod-eu/sync')).json as SyncResponse;
    expect(busy.flagSet).toEqual({
      action: 'in-sync',
      reason: 'waiting for the AppConfig environment: another deployment holds it',
    });
    fake.settle(EU, 2, 'COMPLETE');
    const setStarted = await pollSinks(api.deps, catalog, 'prod-eu', deploymentId);
    expect(setStarted.map((s) => s.state)).toEqual(['complete', 'complete', 'deploying']);
    const started = fake.mock.commandCalls(StartDeploymentCommand).at(-1)?.args[0].input;
    expect(started).toMatchObject({ ConfigurationProfileId: FLAG_SET_PROFILE, ConfigurationVersion: '1' });
    expect((await record()).sinks.appconfigFlagSet).toMatchObject({
      state: 'deploying',
      deploymentNumber: 3,
    });
  });

  it('convoy sync prints a line per profile; the deployment list shows the flag-set status', async () => {
    fake.settle(EU, 3, 'COMPLETE');
    const res = await api.call('POST', '/environments/prod-eu/sync');
    expect(res.status, res.text).toBe(200);
    const body = res.json as SyncResponse;
    expect(body.sinks.appconfigFlagSet).toMatchObject({
      state: 'complete',
      versionNumber: 1,
      deploymentNumber: 3,
    });
    expect(body.flagSet?.action).toBe('in-sync');
    const summary = syncSummary(body);
    expect(summary.ok).toBe(true);
    const lines = summary.text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(
      /^prod-eu: AppConfig flag set in-sync: complete \(version 1, deployment 3\); AppConfig deployment 3: COMPLETE \(100%\)\.$/,
    );
    const list = await api.call('GET', '/environments/prod-eu/deployments');
    expect(list.json.deployments[0].sinks.appconfigFlagSet.state).toBe('complete');
  });

  it('the provider loads what AppConfig serves: the set the API answers', async () => {
    const data = mockClient(AppConfigDataClient);
    data.on(StartConfigurationSessionCommand).resolves({ InitialConfigurationToken: 't0' });
    data.on(GetLatestConfigurationCommand).callsFake(() => ({
      Configuration: new TextEncoder().encode(flagSetVersions()[0]?.content),
      ContentType: 'application/json',
      NextPollConfigurationToken: 't1',
      NextPollIntervalInSeconds: 60,
    }));
    const provider = new ConvoyProvider({
      source: {
        loader: appConfigFlagSetLoader({
          client: new AppConfigDataClient({ region: 'eu-west-1' }),
          application: 'convoy-shop',
          environment: 'prod-eu',
          profile: 'convoy-flag-set',
        }),
      },
      pollIntervalMs: 0,
    });
    await provider.initialize();
    expect(provider.flagSet).toEqual((await api.call('GET', '/environments/prod-eu/flags')).json);
    // The gated flag is on: the service version travelled with the set.
    expect(provider.resolve('checkout.gated', 'boolean', false, {})).toMatchObject({ value: true });
    await provider.onClose();
    data.restore();
  });

  it('a rolled-back flag-set deployment is published again by sync and reported not ok until then', async () => {
    fake.settle(EU, 3, 'ROLLED_BACK');
    const res = await api.call('POST', '/environments/prod-eu/sync');
    const body = res.json as SyncResponse;
    expect(body.flagSet).toEqual({ action: 'published', reason: 'AppConfig rolled HEAD back' });
    expect(body.sinks.appconfigFlagSet).toMatchObject({ state: 'deploying', deploymentNumber: 4 });
    // The same deployment's version is reused, not written again.
    expect(flagSetVersions()).toHaveLength(1);
    fake.settle(EU, 4, 'ROLLED_BACK');
    await pollSinks(api.deps, await catalogOf(), 'prod-eu', deploymentId);
    const failed = syncSummary({
      ...body,
      sinks: { ...body.sinks, appconfigFlagSet: (await record()).sinks.appconfigFlagSet! },
    });
    expect(failed.ok).toBe(false);
    expect(failed.text.split('\n')[2]).toMatch(/^prod-eu: AppConfig flag set published: rolled-back/);
  });
});
