import {
  AppConfigClient,
  BadRequestException,
  ConflictException,
  CreateHostedConfigurationVersionCommand,
  GetDeploymentCommand,
  InternalServerException,
  ListApplicationsCommand,
  ListConfigurationProfilesCommand,
  ListDeploymentsCommand,
  ListDeploymentStrategiesCommand,
  ListEnvironmentsCommand,
  ListHostedConfigurationVersionsCommand,
  StartDeploymentCommand,
} from '@aws-sdk/client-appconfig';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConvoyError } from '#domain/core/errors.ts';
import { AppConfigSdkPublisher, conflictDelayMs, START_ATTEMPTS } from '#integrations/appconfig-publisher.ts';
import type { AppConfigBinding } from '#integrations/ports.ts';

const appconfig = mockClient(AppConfigClient);
const meta = { $metadata: {} };
const byName: AppConfigBinding = {
  application: 'shop',
  environment: 'prod-eu',
  profile: 'convoy',
  deploymentStrategy: 'Linear50',
};
const byId: AppConfigBinding = {
  application: 'app1',
  environment: 'env1',
  profile: 'prof1',
  deploymentStrategy: 'AppConfig.AllAtOnce',
};

/** Two pages of applications, so resolution must follow NextToken. */
const seedNames = () => {
  appconfig
    .on(ListApplicationsCommand, { NextToken: undefined })
    .resolves({ Items: [{ Id: 'other', Name: 'other' }], NextToken: 'page-2' })
    .on(ListApplicationsCommand, { NextToken: 'page-2' })
    .resolves({ Items: [{ Id: 'app1', Name: 'shop' }] });
  appconfig.on(ListEnvironmentsCommand).resolves({
    Items: [
      { Id: 'env0', Name: 'staging' },
      { Id: 'env1', Name: 'prod-eu' },
    ],
  });
  appconfig.on(ListConfigurationProfilesCommand).resolves({ Items: [{ Id: 'prof1', Name: 'convoy' }] });
  appconfig.on(ListDeploymentStrategiesCommand).resolves({
    Items: [
      { Id: 'AppConfig.AllAtOnce', Name: 'AppConfig.AllAtOnce' },
      { Id: 'strat9', Name: 'Linear50' },
    ],
  });
};

const failure = async (promise: Promise<unknown>): Promise<ConvoyError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConvoyError);
  return error as ConvoyError;
};

describe('AppConfigSdkPublisher', () => {
  let sleeps: number[];
  let onSleep: () => void;
  const publisher = () =>
    new AppConfigSdkPublisher({
      client: new AppConfigClient({ region: 'eu-west-1' }),
      sleep: (ms) => {
        sleeps.push(ms);
        onSleep();
        return Promise.resolve();
      },
    });

  beforeEach(() => {
    sleeps = [];
    onSleep = () => undefined;
    seedNames();
  });
  afterEach(() => {
    appconfig.reset();
  });

  describe('name resolution', () => {
    it('resolves names to ids once per binding, across pages, and calls with ids', async () => {
      appconfig.on(ListHostedConfigurationVersionsCommand).resolves({ Items: [] });
      const p = publisher();
      await p.latestVersion(byName);
      await p.latestVersion(byName);
      expect(appconfig.commandCalls(ListApplicationsCommand)).toHaveLength(2);
      expect(appconfig.commandCalls(ListEnvironmentsCommand)).toHaveLength(1);
      expect(appconfig.commandCalls(ListEnvironmentsCommand)[0]?.args[0].input.ApplicationId).toBe('app1');
      expect(
        appconfig.commandCalls(ListHostedConfigurationVersionsCommand).map((c) => c.args[0].input),
      ).toEqual([
        { ApplicationId: 'app1', ConfigurationProfileId: 'prof1', MaxResults: 1 },
        { ApplicationId: 'app1', ConfigurationProfileId: 'prof1', MaxResults: 1 },
      ]);
    });

    it('takes ids as they are, predefined strategies included', async () => {
      appconfig.on(StartDeploymentCommand).resolves({ DeploymentNumber: 4 });
      expect(await publisher().startDeployment(byId, 7, 'convoy dpl-prod-eu-2')).toEqual({
        deploymentNumber: 4,
      });
      expect(appconfig.commandCalls(StartDeploymentCommand)[0]?.args[0].input).toEqual({
        ApplicationId: 'app1',
        EnvironmentId: 'env1',
        ConfigurationProfileId: 'prof1',
        DeploymentStrategyId: 'AppConfig.AllAtOnce',
        ConfigurationVersion: '7',
        Description: 'convoy dpl-prod-eu-2',
      });
    });

    it.each([
      ['application', { ...byName, application: 'nope' }, /AppConfig application nope does not exist/],
      ['environment', { ...byName, environment: 'nope' }, /AppConfig environment nope does not exist/],
      ['profile', { ...byName, profile: 'nope' }, /AppConfig configuration profile nope does not exist/],
      ['strategy', { ...byName, deploymentStrategy: 'nope' }, /AppConfig deployment strategy nope/],
    ])('refuses an unknown %s as not-found', async (_what, binding, message) => {
      const error = await failure(publisher().latestVersion(binding));
      expect(error.code).toBe('not-found');
      expect(error.message).toMatch(message);
    });

    it('refuses a name two applications share', async () => {
      appconfig.on(ListApplicationsCommand).resolves({
        Items: [
          { Id: 'a', Name: 'shop' },
          { Id: 'b', Name: 'shop' },
        ],
      });
      const error = await failure(publisher().latestVersion(byName));
      expect(error.code).toBe('conflict');
      expect(error.message).toMatch(/2 AppConfig applications are named shop; bind the environment by id/);
    });

    it('forgets a failed resolution, so the next call tries again', async () => {
      appconfig.on(ListHostedConfigurationVersionsCommand).resolves({ Items: [] });
      appconfig
        .on(ListDeploymentStrategiesCommand)
        .rejectsOnce(new InternalServerException({ message: 'boom', ...meta }))
        .resolves({ Items: [{ Id: 'strat9', Name: 'Linear50' }] });
      const p = publisher();
      expect((await failure(p.latestVersion(byName))).code).toBe('unavailable');
      expect(await p.latestVersion(byName)).toBeUndefined();
    });
  });

  describe('hosted versions', () => {
    it('reads the latest version with its description', async () => {
      appconfig
        .on(ListHostedConfigurationVersionsCommand)
        .resolvesOnce({ Items: [{ VersionNumber: 12, Description: 'convoy dpl-prod-eu-3' }] })
        .resolvesOnce({ Items: [{ VersionNumber: 13 }] });
      const p = publisher();
      expect(await p.latestVersion(byId)).toEqual({ versionNumber: 12, description: 'convoy dpl-prod-eu-3' });
      expect(await p.latestVersion(byId)).toEqual({ versionNumber: 13 });
    });

    it('writes JSON content with the optimistic LatestVersionNumber', async () => {
      appconfig.on(CreateHostedConfigurationVersionCommand).resolves({ VersionNumber: 13 });
      const created = await publisher().createVersion(byId, {
        content: '{"a":1}',
        contentType: 'application/json',
        description: 'convoy dpl-prod-eu-3',
        latestVersionNumber: 12,
      });
      expect(created).toEqual({ versionNumber: 13 });
      const input = appconfig.commandCalls(CreateHostedConfigurationVersionCommand)[0]?.args[0].input;
      expect(input).toMatchObject({
        ApplicationId: 'app1',
        ConfigurationProfileId: 'prof1',
        ContentType: 'application/json',
        Description: 'convoy dpl-prod-eu-3',
        LatestVersionNumber: 12,
      });
      expect(new TextDecoder().decode(input?.Content as Uint8Array)).toBe('{"a":1}');
    });

    it.each([12, undefined])(
      'turns a lost optimistic write (latest %s) into a conflict',
      async (latestVersionNumber) => {
        appconfig
          .on(CreateHostedConfigurationVersionCommand)
          .rejects(new ConflictException({ message: 'version mismatch', ...meta }));
        const error = await failure(
          publisher().createVersion(byId, {
            content: '{}',
            contentType: 'application/json',
            description: 'd',
            ...(latestVersionNumber === undefined ? {} : { latestVersionNumber }),
          }),
        );
        expect(error.code).toBe('conflict');
        expect(error.message).toMatch(/AppConfig profile prof1 has a hosted version newer than/);
        expect(error.context).toEqual({ latestVersionNumber: latestVersionNumber ?? null });
      },
    );

    it('reports content a validator refuses as a misconfiguration, without AppConfig internals', async () => {
      appconfig
        .on(CreateHostedConfigurationVersionCommand)
        .rejects(new BadRequestException({ message: 'schema of arn:aws:appconfig:x failed', ...meta }));
      const error = await failure(
        publisher().createVersion(byId, { content: '{}', contentType: 'application/json', description: 'd' }),
      );
      expect(error.code).toBe('internal');
      expect(error.message).toMatch(/AppConfig refused the call \(BadRequestException\)/);
      expect(error.message).not.toContain('arn:');
    });

    it('fails loudly on an answer without a version number', async () => {
      appconfig.on(CreateHostedConfigurationVersionCommand).resolves({});
      const error = await failure(
        publisher().createVersion(byId, { content: '{}', contentType: 'application/json', description: 'd' }),
      );
      expect(error.message).toBe('AppConfig answered without a version number.');
    });
  });

  describe('deployments', () => {
    const busy = () => new ConflictException({ message: 'deployment in progress', ...meta });

    it('backs off exponentially while another deployment holds the environment, then starts', async () => {
      appconfig
        .on(StartDeploymentCommand)
        .rejectsOnce(busy())
        .rejectsOnce(busy())
        .rejectsOnce(busy())
        .resolves({ DeploymentNumber: 8 });
      expect(await publisher().startDeployment(byId, 13, 'convoy dpl-prod-eu-3')).toEqual({
        deploymentNumber: 8,
      });
      expect(sleeps).toEqual([1000, 2000, 4000]);
      expect(appconfig.commandCalls(StartDeploymentCommand)).toHaveLength(4);
    });

    it('gives up after every attempt with a reason that names the deployment in progress', async () => {
      appconfig.on(StartDeploymentCommand).rejects(busy());
      appconfig.on(ListDeploymentsCommand).resolves({
        Items: [
          { DeploymentNumber: 9, State: 'BAKING', ConfigurationProfileId: 'prof2' },
          { DeploymentNumber: 8, State: 'COMPLETE', ConfigurationProfileId: 'prof1' },
        ],
      });
      const error = await failure(publisher().startDeployment(byName, 13, 'convoy dpl-prod-eu-3'));
      expect(error.code).toBe('conflict');
      expect(error.message).toBe(
        'AppConfig environment prod-eu already has a deployment in progress (deployment 9); gave up after ' +
          '6 attempts over 31 s. Retry when it has finished: `convoy sync` brings the sink to HEAD.',
      );
      expect(error.context).toEqual({ deploymentNumber: 9, attempts: START_ATTEMPTS });
      expect(sleeps).toEqual([1000, 2000, 4000, 8000, 16000]);
      expect(appconfig.commandCalls(StartDeploymentCommand)).toHaveLength(START_ATTEMPTS);
    });

    it.each([
      ['the deployments cannot be listed', () => appconfig.on(ListDeploymentsCommand).rejects(busy())],
      ['none is in progress any more', () => appconfig.on(ListDeploymentsCommand).resolves({})],
    ])('still gives a clear reason when %s', async (_case, arrange) => {
      arrange();
      appconfig.on(StartDeploymentCommand).rejects(busy());
      const error = await failure(publisher().startDeployment(byId, 13, 'd', { maxAttempts: 2 }));
      expect(error.message).toMatch(
        /^AppConfig environment env1 already has a deployment in progress \(deployment unknown\); gave up after 2 attempts over 1 s/,
      );
      expect(error.context).toEqual({ deploymentNumber: null, attempts: 2 });
    });

    it('caps the backoff at 16 s', () => {
      expect([1, 2, 3, 4, 5, 6, 7].map(conflictDelayMs)).toEqual([
        1000, 2000, 4000, 8000, 16000, 16000, 16000,
      ]);
    });

    it('does not retry other errors, and translates them', async () => {
      appconfig.on(StartDeploymentCommand).rejects(new InternalServerException({ message: 'x', ...meta }));
      expect((await failure(publisher().startDeployment(byId, 1, 'd'))).code).toBe('unavailable');
      appconfig.on(StartDeploymentCommand).resolves({});
      expect((await failure(publisher().startDeployment(byId, 1, 'd'))).message).toMatch(
        /without a deployment number/,
      );
      expect(sleeps).toEqual([]);
    });

    it.each([
      ['DEPLOYING', 40],
      ['ROLLED_BACK', 100],
      ['REVERTED', undefined],
    ] as const)('reads deployment state %s', async (State, PercentageComplete) => {
      appconfig.on(GetDeploymentCommand).resolves({ State, PercentageComplete, ConfigurationVersion: '13' });
      expect(await publisher().getDeployment(byId, 8)).toEqual({
        state: State,
        percentageComplete: PercentageComplete ?? 0,
        versionNumber: 13,
      });
      expect(appconfig.commandCalls(GetDeploymentCommand)[0]?.args[0].input).toEqual({
        ApplicationId: 'app1',
        EnvironmentId: 'env1',
        DeploymentNumber: 8,
      });
    });

    it('refuses a deployment state it does not know', async () => {
      appconfig.on(GetDeploymentCommand).resolves({ State: 'EXPLODING' as never });
      expect((await failure(publisher().getDeployment(byId, 8))).code).toBe('internal');
    });

    it('finds the newest deployment of the bound profile', async () => {
      appconfig.on(ListDeploymentsCommand).resolves({
        Items: [
          {
            DeploymentNumber: 9,
            State: 'DEPLOYING',
            ConfigurationProfileId: 'prof2',
            ConfigurationVersion: '2',
          },
          {
            DeploymentNumber: 8,
            State: 'COMPLETE',
            ConfigurationProfileId: 'prof1',
            ConfigurationVersion: '13',
          },
          {
            DeploymentNumber: 7,
            State: 'COMPLETE',
            ConfigurationProfileId: 'prof1',
            ConfigurationVersion: '12',
          },
        ],
      });
      expect(await publisher().latestDeployment(byId)).toEqual({
        deploymentNumber: 8,
        versionNumber: 13,
        state: 'COMPLETE',
      });
      appconfig.on(ListDeploymentsCommand).resolves({});
      expect(await publisher().latestDeployment(byId)).toBeUndefined();
    });
  });
});
