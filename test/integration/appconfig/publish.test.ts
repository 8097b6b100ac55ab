import {
  BadRequestException,
  CreateHostedConfigurationVersionCommand,
  GetDeploymentCommand,
  StartDeploymentCommand,
} from '@aws-sdk/client-appconfig';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { pollSink, publishToSink, syncEnvironment } from '#app/sinks/sync-sink.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import type { SinkStatus } from '#domain/environments/sink-status.ts';
import { convoyError } from '../store/support.ts';
import { createAppConfigHarness, type AppConfigHarness } from './support.ts';

const EU = 'env0eu1';
const EU_PROFILE = 'prof0eu1';
const AT = '2026-11-23T10:00:00.000Z';

let h: AppConfigHarness;
let catalog: Catalog;
let next = 10;
/** A fresh deployment record of prod-eu, committed without publication. */
const committed = async () => {
  next += 1;
  await h.push(next);
  return h.commit('prod-eu', next);
};
const recorded = async (id: string) =>
  (await h.api.store.environments.getDeployment('prod-eu', id))?.sinks.appconfig;
const publish = (id: string, environment = 'prod-eu') => publishToSink(h.deps(), catalog, environment, id);

beforeAll(async () => {
  h = await createAppConfigHarness();
  catalog = await h.catalog();
});
afterAll(async () => {
  await h.api.table.drop();
});
beforeEach(() => {
  vi.restoreAllMocks();
  h.fake.reset();
});

describe('publishToSink', () => {
  it('writes the materialized configuration as a hosted version, deploys it and records `deploying`', async () => {
    const deployment = await committed();
    const status = await publish(deployment.id);
    const expected: SinkStatus = { state: 'deploying', versionNumber: 1, deploymentNumber: 1, at: AT };
    expect(status).toEqual(expected);
    expect(await recorded(deployment.id)).toEqual(expected);
    const config = await h.api.call('GET', '/environments/prod-eu/config');
    expect(h.fake.versions).toEqual([
      {
        profileId: EU_PROFILE,
        versionNumber: 1,
        description: `convoy ${deployment.id}`,
        content: config.text,
      },
    ]);
    expect(JSON.parse(config.text)['identity.session.ttlSeconds']).toBe(3600 + next);
    expect(h.fake.mock.commandCalls(StartDeploymentCommand)[0]?.args[0].input).toEqual({
      ApplicationId: 'app0shop',
      EnvironmentId: EU,
      ConfigurationProfileId: EU_PROFILE,
      DeploymentStrategyId: 'strat0lin',
      ConfigurationVersion: '1',
      Description: `convoy ${deployment.id}`,
    });
  });

  it('publishes nothing again for a deployment that already names an AppConfig deployment', async () => {
    const deployment = await committed();
    const first = await publish(deployment.id);
    expect(await publish(deployment.id)).toEqual(first);
    expect(h.fake.count(CreateHostedConfigurationVersionCommand)).toBe(1);
    expect(h.fake.count(StartDeploymentCommand)).toBe(1);
  });

  it('leaves an unbound environment alone', async () => {
    await h.push(100);
    const deployment = await h.commit('dev', 100);
    expect(await publishToSink(h.deps(), catalog, 'dev', deployment.id)).toBeUndefined();
    expect(h.fake.mock.calls()).toHaveLength(0);
  });

  it('refuses a deployment that does not exist', async () => {
    expect((await convoyError(publish('dpl-prod-eu-999'))).code).toBe('not-found');
  });

  it('reuses the hosted version after a crash between writing it and recording it', async () => {
    const deployment = await committed();
    vi.spyOn(h.api.store.environments, 'setSinkStatus').mockRejectedValueOnce(new Error('Lambda crashed'));
    await expect(publish(deployment.id)).rejects.toThrow('Lambda crashed');
    expect(await recorded(deployment.id)).toBeUndefined();
    expect(h.fake.versions).toHaveLength(1);

    const status = await publish(deployment.id);
    expect(status).toEqual({ state: 'deploying', versionNumber: 1, deploymentNumber: 1, at: AT });
    expect(h.fake.versions).toHaveLength(1);
    expect(h.fake.count(CreateHostedConfigurationVersionCommand)).toBe(1);
    expect(h.fake.count(StartDeploymentCommand)).toBe(1);
  });

  it('adopts the AppConfig deployment after a crash between starting it and recording it', async () => {
    const deployment = await committed();
    const store = h.api.store.environments;
    const original = store.setSinkStatus.bind(store);
    vi.spyOn(store, 'setSinkStatus')
      .mockImplementationOnce(original)
      .mockRejectedValueOnce(new Error('Lambda crashed'));
    await expect(publish(deployment.id)).rejects.toThrow('Lambda crashed');
    expect(await recorded(deployment.id)).toEqual({ state: 'pending', versionNumber: 1, at: AT });

    expect(await publish(deployment.id)).toEqual({
      state: 'deploying',
      versionNumber: 1,
      deploymentNumber: 1,
      at: AT,
    });
    expect(h.fake.deployments).toHaveLength(1);
    expect(h.fake.count(StartDeploymentCommand)).toBe(1);
  });

  it('re-reads and writes on top of a hosted version another writer added first', async () => {
    h.fake.externalVersion(EU_PROFILE);
    let raced = false;
    h.fake.hooks.beforeCreate = (profile) => {
      if (!raced) h.fake.externalVersion(profile);
      raced = true;
    };
    const deployment = await committed();
    expect(await publish(deployment.id)).toMatchObject({ state: 'deploying', versionNumber: 3 });
    expect(
      h.fake.mock
        .commandCalls(CreateHostedConfigurationVersionCommand)
        .map((c) => c.args[0].input.LatestVersionNumber),
    ).toEqual([1, 2]);
  });

  it('records `failed` when other writers keep winning the optimistic write', async () => {
    h.fake.externalVersion(EU_PROFILE);
    h.fake.hooks.beforeCreate = (profile) => void h.fake.externalVersion(profile);
    const deployment = await committed();
    const status = await publish(deployment.id);
    expect(status).toEqual({
      state: 'failed',
      message: expect.stringMatching(/^AppConfig profile convoy-config has a hosted version newer than \d+/),
      at: AT,
    });
    expect(await recorded(deployment.id)).toEqual(status);
    expect(h.fake.count(CreateHostedConfigurationVersionCommand)).toBe(3);
  });

  it.each([
    [
      'refuses the content',
      () => {
        h.fake.hooks.beforeCreate = () => {
          throw new BadRequestException({ message: 'fails the JSON schema validator', $metadata: {} });
        };
      },
      "AppConfig refused the call (BadRequestException): check the deployment's configuration and permissions.",
    ],
    [
      'fails in an unexpected way',
      () => {
        vi.spyOn(h.deps().appconfig, 'createVersion').mockRejectedValueOnce(new Error('socket hang up'));
      },
      'AppConfig failed unexpectedly.',
    ],
  ])('records `failed` without a version when AppConfig %s', async (_case, arrange, message) => {
    arrange();
    const deployment = await committed();
    const status = await publish(deployment.id);
    expect(status).toEqual({ state: 'failed', message, at: AT });
    expect(await recorded(deployment.id)).toEqual(status);
    expect(h.fake.count(CreateHostedConfigurationVersionCommand)).toBeLessThanOrEqual(1);
    expect(h.fake.count(StartDeploymentCommand)).toBe(0);
  });

  it('waits with backoff while another deployment holds the environment, then deploys', async () => {
    const held = h.fake.external({
      environmentId: EU,
      profileId: 'other',
      versionNumber: 1,
      state: 'BAKING',
    });
    h.fake.hooks.onSleep = () => {
      if (h.fake.sleeps.length === 2) h.fake.settle(EU, held.deploymentNumber, 'COMPLETE');
    };
    const deployment = await committed();
    expect(await publish(deployment.id)).toEqual({
      state: 'deploying',
      versionNumber: 1,
      deploymentNumber: 2,
      at: AT,
    });
    expect(h.fake.sleeps).toEqual([1000, 2000]);
  });

  it('records `failed` with the clear reason when the environment stays busy', async () => {
    const held = h.fake.external({
      environmentId: EU,
      profileId: 'other',
      versionNumber: 1,
      state: 'DEPLOYING',
    });
    const deployment = await committed();
    const status = await publish(deployment.id);
    expect(status).toEqual({
      state: 'failed',
      versionNumber: 1,
      message:
        `AppConfig environment prod-eu already has a deployment in progress (deployment ${held.deploymentNumber}); ` +
        'gave up after 6 attempts over 31 s. Retry when it has finished: `convoy sync` brings the sink to HEAD.',
      at: AT,
    });
    expect(await recorded(deployment.id)).toEqual(status);
    expect(h.fake.sleeps).toEqual([1000, 2000, 4000, 8000, 16000]);
  });
});

describe('pollSink', () => {
  const published = async () => {
    const deployment = await committed();
    await publish(deployment.id);
    return deployment;
  };
  const poll = (id: string, environment = 'prod-eu') => pollSink(h.deps(), catalog, environment, id);

  it.each([
    ['DEPLOYING', 'deploying', 'AppConfig deployment 1: DEPLOYING (50%)'],
    ['BAKING', 'deploying', 'AppConfig deployment 1: BAKING (100%)'],
    ['COMPLETE', 'complete', 'AppConfig deployment 1: COMPLETE (100%)'],
    ['ROLLED_BACK', 'rolled-back', 'AppConfig rolled back deployment 1 (ROLLED_BACK)'],
    ['REVERTED', 'rolled-back', 'AppConfig rolled back deployment 1 (REVERTED)'],
  ] as const)('maps AppConfig %s to a recorded %s', async (live, state, message) => {
    const deployment = await published();
    h.fake.settle(EU, 1, live);
    const expected = { state, versionNumber: 1, deploymentNumber: 1, message, at: AT };
    expect(await poll(deployment.id)).toEqual(expected);
    expect(await recorded(deployment.id)).toEqual(expected);
  });

  it('writes only when something changed, and stops at a rollback', async () => {
    const deployment = await published();
    const spy = vi.spyOn(h.api.store.environments, 'setSinkStatus');
    await poll(deployment.id);
    await poll(deployment.id);
    expect(spy).toHaveBeenCalledTimes(1);
    h.fake.settle(EU, 1, 'ROLLED_BACK');
    await poll(deployment.id);
    const gets = h.fake.count(GetDeploymentCommand);
    expect(await poll(deployment.id)).toMatchObject({ state: 'rolled-back' });
    expect(h.fake.count(GetDeploymentCommand)).toBe(gets);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('keeps a recorded outcome when its own observation is stale', async () => {
    const deployment = await published();
    h.fake.settle(EU, 1, 'COMPLETE');
    const complete = await poll(deployment.id);
    // A slower poller read DEPLOYING before the outcome was recorded: the store keeps the outcome.
    h.fake.settle(EU, 1, 'DEPLOYING');
    expect(await poll(deployment.id)).toEqual(complete);
  });

  it('has nothing to poll before a deployment started, or when the environment is not bound', async () => {
    const deployment = await committed();
    expect(await poll(deployment.id)).toBeUndefined();
    expect(await poll(deployment.id, 'dev')).toBeUndefined();
    expect((await convoyError(poll('dpl-prod-eu-999'))).code).toBe('not-found');
    expect(h.fake.mock.calls()).toHaveLength(0);
  });
});

describe('syncEnvironment', () => {
  const sync = (environment = 'prod-eu') => syncEnvironment(h.deps(), catalog, environment);

  it('has nothing to do for an unbound environment or one never deployed to', async () => {
    expect(await sync('dev')).toMatchObject({
      status: undefined,
      action: 'in-sync',
      reason: 'dev is not bound to AppConfig',
    });
    expect(await sync('staging')).toMatchObject({
      status: undefined,
      action: 'in-sync',
      reason: 'nothing has been deployed to staging',
      head: { version: 0 },
    });
    expect(h.fake.mock.calls()).toHaveLength(0);
  });

  it('reconciles a lagging sink to HEAD, then leaves it alone while it is in progress and once complete', async () => {
    const deployment = await committed();
    const published = await sync();
    expect(published).toMatchObject({
      action: 'published',
      reason: 'HEAD was never published to the sink',
      head: { deploymentId: deployment.id },
      status: { state: 'deploying', versionNumber: 1, deploymentNumber: 1 },
    });
    expect(await sync()).toMatchObject({
      action: 'in-sync',
      reason: 'AppConfig deployment 1 is in progress',
    });
    h.fake.settle(EU, 1, 'COMPLETE');
    expect(await sync()).toMatchObject({
      action: 'in-sync',
      reason: 'AppConfig serves HEAD (version 1)',
      status: { state: 'complete' },
    });
    expect(h.fake.count(StartDeploymentCommand)).toBe(1);
  });

  it('publishes HEAD again when another deployment replaced it in AppConfig', async () => {
    const deployment = await committed();
    await publish(deployment.id);
    h.fake.settle(EU, 1, 'COMPLETE');
    const before = h.fake.externalVersion(EU_PROFILE);
    h.fake.external({ environmentId: EU, profileId: EU_PROFILE, versionNumber: before, state: 'COMPLETE' });
    const result = await sync();
    expect(result).toMatchObject({
      action: 'published',
      reason: 'AppConfig deployment 2 replaced HEAD with version 2',
      status: { state: 'deploying', versionNumber: 3, deploymentNumber: 3 },
    });
    expect(h.fake.versions.at(-1)?.content).toBe(h.fake.versions[0]?.content);
  });

  it('publishes HEAD again after AppConfig rolled it back, as a new deployment of the same version', async () => {
    const deployment = await committed();
    await publish(deployment.id);
    h.fake.settle(EU, 1, 'ROLLED_BACK');
    expect(await sync()).toMatchObject({
      action: 'published',
      reason: 'AppConfig rolled HEAD back',
      status: { state: 'deploying', versionNumber: 1, deploymentNumber: 2 },
    });
    expect(await recorded(deployment.id)).toMatchObject({ state: 'deploying', deploymentNumber: 2 });
    expect(h.fake.versions).toHaveLength(1);
  });
});
