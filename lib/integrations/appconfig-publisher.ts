import { setTimeout as wait } from 'node:timers/promises';
import {
  CreateHostedConfigurationVersionCommand,
  GetDeploymentCommand,
  ListDeploymentsCommand,
  ListHostedConfigurationVersionsCommand,
  StartDeploymentCommand,
  type AppConfigClient,
  type DeploymentSummary,
} from '@aws-sdk/client-appconfig';
import { ConvoyError } from '#domain/core/errors.ts';
import {
  appConfigDeploymentStates,
  type AppConfigDeploymentState,
  type LiveDeployment,
} from '#domain/environments/sink-status.ts';
import { APPCONFIG_SERVICE, AppConfigResolver, type ResolvedBinding } from './appconfig-resolver.ts';
import { awsErrorName, translateAwsError } from './aws-errors.ts';
import type { AppConfigBinding, AppConfigDeploymentInfo, AppConfigPublisher } from './ports.ts';

/** Attempts of StartDeployment while another deployment holds the environment: waits 1, 2, 4, 8, 16 s. */
export const START_ATTEMPTS = 6;
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 16_000;

export const conflictDelayMs = (attempt: number): number =>
  Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (attempt - 1));

const inProgress = new Set<string>(['BAKING', 'VALIDATING', 'DEPLOYING', 'ROLLING_BACK']);

export interface AppConfigSdkPublisherOptions {
  client: AppConfigClient;
  /** Injectable for tests: the backoff between StartDeployment attempts. */
  sleep?: (ms: number) => Promise<void>;
  /** @default START_ATTEMPTS */
  maxAttempts?: number;
}

const missing = (what: string): ConvoyError =>
  new ConvoyError('internal', `${APPCONFIG_SERVICE} answered without ${what}.`);

const stateOf = (state: string | undefined): AppConfigDeploymentState => {
  const known = appConfigDeploymentStates.find((s) => s === state);
  if (known === undefined) throw missing('a known deployment state');
  return known;
};

/** Hosted versions are numbers; AppConfig reports them as text. */
const versionOf = (text: string | undefined): number => Number(text ?? Number.NaN);

/**
 * Writes hosted configuration versions and deploys them with the AppConfig SDK. Bindings may name
 * their application, environment, profile and strategy by name or id (AppConfigResolver).
 */
export class AppConfigSdkPublisher implements AppConfigPublisher {
  private readonly client: AppConfigClient;
  private readonly resolver: AppConfigResolver;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxAttempts: number;

  constructor(options: AppConfigSdkPublisherOptions) {
    this.client = options.client;
    this.resolver = new AppConfigResolver(options.client);
    this.sleep = options.sleep ?? ((ms) => wait(ms));
    this.maxAttempts = options.maxAttempts ?? START_ATTEMPTS;
  }

  async latestVersion(
    binding: AppConfigBinding,
  ): Promise<{ versionNumber: number; description?: string } | undefined> {
    const ids = await this.resolver.resolve(binding);
    const out = await this.call(() =>
      this.client.send(
        new ListHostedConfigurationVersionsCommand({
          ApplicationId: ids.applicationId,
          ConfigurationProfileId: ids.profileId,
          MaxResults: 1,
        }),
      ),
    );
    const latest = out.Items?.[0];
    if (latest?.VersionNumber === undefined) return undefined;
    return {
      versionNumber: latest.VersionNumber,
      ...(latest.Description === undefined ? {} : { description: latest.Description }),
    };
  }

  async createVersion(
    binding: AppConfigBinding,
    version: {
      content: string;
      contentType: 'application/json';
      description: string;
      latestVersionNumber?: number;
    },
  ): Promise<{ versionNumber: number }> {
    const ids = await this.resolver.resolve(binding);
    try {
      const out = await this.client.send(
        new CreateHostedConfigurationVersionCommand({
          ApplicationId: ids.applicationId,
          ConfigurationProfileId: ids.profileId,
          Content: new TextEncoder().encode(version.content),
          ContentType: version.contentType,
          Description: version.description,
          LatestVersionNumber: version.latestVersionNumber,
        }),
      );
      if (out.VersionNumber === undefined) throw missing('a version number');
      return { versionNumber: out.VersionNumber };
    } catch (error) {
      if (awsErrorName(error) !== 'ConflictException') throw translateAwsError(APPCONFIG_SERVICE, error);
      throw new ConvoyError(
        'conflict',
        `AppConfig profile ${binding.profile} has a hosted version newer than ${version.latestVersionNumber ?? 'none'}; re-read it and retry.`,
        { cause: error, context: { latestVersionNumber: version.latestVersionNumber ?? null } },
      );
    }
  }

  async startDeployment(
    binding: AppConfigBinding,
    versionNumber: number,
    description: string,
    options: { maxAttempts?: number } = {},
  ): Promise<{ deploymentNumber: number }> {
    const ids = await this.resolver.resolve(binding);
    const attempts = Math.max(1, options.maxAttempts ?? this.maxAttempts);
    let waited = 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const out = await this.client.send(
          new StartDeploymentCommand({
            ApplicationId: ids.applicationId,
            EnvironmentId: ids.environmentId,
            ConfigurationProfileId: ids.profileId,
            DeploymentStrategyId: ids.strategyId,
            ConfigurationVersion: String(versionNumber),
            Description: description,
          }),
        );
        if (out.DeploymentNumber === undefined) throw missing('a deployment number');
        return { deploymentNumber: out.DeploymentNumber };
      } catch (error) {
        if (awsErrorName(error) !== 'ConflictException') throw translateAwsError(APPCONFIG_SERVICE, error);
        if (attempt >= attempts) throw await this.busy(binding, ids, attempts, waited, error);
        const delay = conflictDelayMs(attempt);
        waited += delay;
        await this.sleep(delay);
      }
    }
  }

  async getDeployment(binding: AppConfigBinding, deploymentNumber: number): Promise<AppConfigDeploymentInfo> {
    const ids = await this.resolver.resolve(binding);
    const out = await this.call(() =>
      this.client.send(
        new GetDeploymentCommand({
          ApplicationId: ids.applicationId,
          EnvironmentId: ids.environmentId,
          DeploymentNumber: deploymentNumber,
        }),
      ),
    );
    return {
      state: stateOf(out.State),
      percentageComplete: out.PercentageComplete ?? 0,
      versionNumber: versionOf(out.ConfigurationVersion),
    };
  }

  async latestDeployment(binding: AppConfigBinding): Promise<LiveDeployment | undefined> {
    const ids = await this.resolver.resolve(binding);
    const newest = (await this.recentDeployments(ids)).find(
      (d) => d.ConfigurationProfileId === ids.profileId,
    );
    if (newest?.DeploymentNumber === undefined) return undefined;
    return {
      deploymentNumber: newest.DeploymentNumber,
      versionNumber: versionOf(newest.ConfigurationVersion),
      state: stateOf(newest.State),
    };
  }

  /** The environment's newest deployments, newest first (one page). */
  private async recentDeployments(ids: ResolvedBinding): Promise<DeploymentSummary[]> {
    const out = await this.call(() =>
      this.client.send(
        new ListDeploymentsCommand({
          ApplicationId: ids.applicationId,
          EnvironmentId: ids.environmentId,
          MaxResults: 50,
        }),
      ),
    );
    return out.Items ?? [];
  }

  /** The clear reason after the last attempt: which deployment holds the environment, if it can be read. */
  private async busy(
    binding: AppConfigBinding,
    ids: ResolvedBinding,
    attempts: number,
    waited: number,
    cause: unknown,
  ): Promise<ConvoyError> {
    const holder = await this.recentDeployments(ids).then(
      (items) => items.find((d) => inProgress.has(d.State ?? ''))?.DeploymentNumber,
      () => undefined,
    );
    return new ConvoyError(
      'conflict',
      `AppConfig environment ${binding.environment} already has a deployment in progress ` +
        `(deployment ${holder ?? 'unknown'}); gave up after ${attempts} attempts over ${waited / 1000} s. ` +
        'Retry when it has finished: `convoy sync` brings the sink to HEAD.',
      { cause, context: { deploymentNumber: holder ?? null, attempts } },
    );
  }

  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw translateAwsError(APPCONFIG_SERVICE, error);
    }
  }
}
