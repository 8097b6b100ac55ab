import {
  AppConfigClient,
  ConflictException,
  CreateHostedConfigurationVersionCommand,
  GetDeploymentCommand,
  ListApplicationsCommand,
  ListConfigurationProfilesCommand,
  ListDeploymentsCommand,
  ListDeploymentStrategiesCommand,
  ListEnvironmentsCommand,
  ListHostedConfigurationVersionsCommand,
  ResourceNotFoundException,
  StartDeploymentCommand,
  type DeploymentState,
} from '@aws-sdk/client-appconfig';
import { mockClient } from 'aws-sdk-client-mock';
import { AppConfigSdkPublisher } from '#integrations/appconfig-publisher.ts';

/**
 * AppConfig as the adapter sees it, behind aws-sdk-client-mock (AppConfig has no local engine): one
 * application with environments and hosted profiles, versions with the optimistic LatestVersionNumber,
 * and the one-deployment-per-environment rule. Tests settle deployments by hand.
 */
export interface FakeVersion {
  profileId: string;
  versionNumber: number;
  description?: string;
  content: string;
}

export interface FakeDeployment {
  environmentId: string;
  profileId: string;
  deploymentNumber: number;
  versionNumber: number;
  state: DeploymentState;
  description?: string;
}

const meta = { $metadata: { httpStatusCode: 409 } };
const inProgress = new Set<string>(['BAKING', 'VALIDATING', 'DEPLOYING', 'ROLLING_BACK']);

export const APPLICATION = { Id: 'app0shop', Name: 'convoy-shop' };
export const ENVIRONMENTS = [
  { Id: 'env0stg', Name: 'staging' },
  { Id: 'env0eu1', Name: 'prod-eu' },
];
export const PROFILES = [
  { Id: 'prof0stg', Name: 'staging-config' },
  { Id: 'prof0eu1', Name: 'convoy-config' },
  { Id: 'prof0eu1f', Name: 'convoy-flags' },
  { Id: 'prof0eu1s', Name: 'convoy-flag-set' },
];

export const createFakeAppConfig = () => {
  const mock = mockClient(AppConfigClient);
  const versions: FakeVersion[] = [];
  const deployments: FakeDeployment[] = [];
  const sleeps: number[] = [];
  /** onSleep: a backoff wait; beforeCreate: just before a hosted version is written (a concurrent writer). */
  const hooks = { onSleep: (): void => undefined, beforeCreate: (_profileId: string): void => undefined };

  const install = () => {
    mock.on(ListApplicationsCommand).resolves({ Items: [APPLICATION] });
    mock.on(ListEnvironmentsCommand).resolves({ Items: ENVIRONMENTS });
    mock.on(ListConfigurationProfilesCommand).resolves({ Items: PROFILES });
    mock.on(ListDeploymentStrategiesCommand).resolves({
      Items: [
        { Id: 'AppConfig.AllAtOnce', Name: 'AppConfig.AllAtOnce' },
        { Id: 'strat0lin', Name: 'linear' },
      ],
    });
    mock
      .on(ListHostedConfigurationVersionsCommand)
      .callsFake((input: { ConfigurationProfileId: string }) => ({
        Items: versions
          .filter((v) => v.profileId === input.ConfigurationProfileId)
          .reverse()
          .slice(0, 1)
          .map((v) => ({ VersionNumber: v.versionNumber, Description: v.description })),
      }));
    mock
      .on(CreateHostedConfigurationVersionCommand)
      .callsFake(
        (input: {
          ConfigurationProfileId: string;
          Content: Uint8Array;
          Description?: string;
          LatestVersionNumber?: number;
        }) => {
          hooks.beforeCreate(input.ConfigurationProfileId);
          const latest = versions
            .filter((v) => v.profileId === input.ConfigurationProfileId)
            .at(-1)?.versionNumber;
          if (input.LatestVersionNumber !== undefined && input.LatestVersionNumber !== latest) {
            throw new ConflictException({ message: 'LatestVersionNumber does not match', ...meta });
          }
          const version = {
            profileId: input.ConfigurationProfileId,
            versionNumber: (latest ?? 0) + 1,
            ...(input.Description === undefined ? {} : { description: input.Description }),
            content: new TextDecoder().decode(input.Content),
          };
          versions.push(version);
          return { VersionNumber: version.versionNumber };
        },
      );
    mock
      .on(StartDeploymentCommand)
      .callsFake(
        (input: {
          EnvironmentId: string;
          ConfigurationProfileId: string;
          ConfigurationVersion: string;
          Description?: string;
        }) => {
          const mine = deployments.filter((d) => d.environmentId === input.EnvironmentId);
          if (mine.some((d) => inProgress.has(d.state))) {
            throw new ConflictException({ message: 'a deployment is in progress', ...meta });
          }
          const deployment: FakeDeployment = {
            environmentId: input.EnvironmentId,
            profileId: input.ConfigurationProfileId,
            deploymentNumber: (mine.at(-1)?.deploymentNumber ?? 0) + 1,
            versionNumber: Number(input.ConfigurationVersion),
            state: 'DEPLOYING',
            ...(input.Description === undefined ? {} : { description: input.Description }),
          };
          deployments.push(deployment);
          return { DeploymentNumber: deployment.deploymentNumber, State: deployment.state };
        },
      );
    mock.on(GetDeploymentCommand).callsFake((input: { EnvironmentId: string; DeploymentNumber: number }) => {
      const found = deployments.find(
        (d) => d.environmentId === input.EnvironmentId && d.deploymentNumber === input.DeploymentNumber,
      );
      if (!found) throw new ResourceNotFoundException({ message: 'no such deployment', $metadata: {} });
      return {
        DeploymentNumber: found.deploymentNumber,
        State: found.state,
        PercentageComplete: found.state === 'DEPLOYING' ? 50 : 100,
        ConfigurationVersion: String(found.versionNumber),
      };
    });
    mock.on(ListDeploymentsCommand).callsFake((input: { EnvironmentId: string }) => ({
      Items: deployments
        .filter((d) => d.environmentId === input.EnvironmentId)
        .reverse()
        .map((d) => ({
          DeploymentNumber: d.deploymentNumber,
          ConfigurationProfileId: d.profileId,
          ConfigurationVersion: String(d.versionNumber),
          State: d.state,
        })),
    }));
  };
  install();

  return {
    mock,
    versions,
    deployments,
    /** Backoff waits the publisher asked for (none is really waited). */
    sleeps,
    hooks,
    publisher: () =>
      new AppConfigSdkPublisher({
        client: new AppConfigClient({ region: 'eu-west-1' }),
        sleep: (ms) => {
          sleeps.push(ms);
          hooks.onSleep();
          return Promise.resolve();
        },
      }),
    /** Move a deployment of an environment (by id) to a state, as AppConfig would over time. */
    settle(environmentId: string, deploymentNumber: number, state: DeploymentState) {
      const found = deployments.find(
        (d) => d.environmentId === environmentId && d.deploymentNumber === deploymentNumber,
      );
      if (!found) throw new Error(`no deployment ${deploymentNumber} in ${environmentId}`);
      found.state = state;
    },
    /** A hosted version written outside Convoy. */
    externalVersion(profileId: string) {
      const latest = versions.filter((v) => v.profileId === profileId).at(-1)?.versionNumber ?? 0;
      versions.push({ profileId, versionNumber: latest + 1, description: 'by hand', content: '{}' });
      return latest + 1;
    },
    /** A deployment started outside Convoy (the console, another tool). */
    external(deployment: Omit<FakeDeployment, 'deploymentNumber'>) {
      const mine = deployments.filter((d) => d.environmentId === deployment.environmentId);
      const added = { ...deployment, deploymentNumber: (mine.at(-1)?.deploymentNumber ?? 0) + 1 };
      deployments.push(added);
      return added;
    },
    count: (command: Parameters<typeof mock.commandCalls>[0]) => mock.commandCalls(command).length,
    reset() {
      mock.reset();
      versions.length = 0;
      deployments.length = 0;
      sleeps.length = 0;
      hooks.onSleep = () => undefined;
      hooks.beforeCreate = () => undefined;
      install();
    },
  };
};

export type FakeAppConfig = ReturnType<typeof createFakeAppConfig>;
