import { AppConfigClient } from '@aws-sdk/client-appconfig';
import { describe, expect, it } from 'vitest';
import { depsFromEnvironment } from '#functions/shared/lambda-deps.ts';
import {
  isReusableDeployment,
  sinkDescription,
  sinkMessage,
  sinkStateOf,
  statesNotReplaceableBy,
  syncDecision,
  type AppConfigDeploymentState,
  type LiveDeployment,
  type SinkState,
  type SinkStatus,
} from '#domain/environments/sink-status.ts';
import { AppConfigSdkPublisher } from '#integrations/appconfig-publisher.ts';
import { awsIntegrationsFromEnv, integrationEnv } from '#integrations/aws-integrations.ts';
import { unconfiguredIntegrations } from '#integrations/unconfigured.ts';

const AT = '2026-11-23T10:00:00.000Z';
const status = (state: SinkState, extra: Partial<SinkStatus> = {}): SinkStatus => ({
  state,
  at: AT,
  ...extra,
});
const live = (
  deploymentNumber: number,
  versionNumber: number,
  state: AppConfigDeploymentState,
): LiveDeployment => ({
  deploymentNumber,
  versionNumber,
  state,
});

describe('AppConfig sink status rules', () => {
  it.each([
    ['BAKING', 'deploying'],
    ['VALIDATING', 'deploying'],
    ['DEPLOYING', 'deploying'],
    ['ROLLING_BACK', 'deploying'],
    ['COMPLETE', 'complete'],
    ['ROLLED_BACK', 'rolled-back'],
    ['REVERTED', 'rolled-back'],
  ] as const)('maps AppConfig %s to %s', (state, expected) => {
    expect(sinkStateOf(state)).toBe(expected);
  });

  it.each([
    ['pending', ['complete', 'rolled-back']],
    ['deploying', ['complete', 'rolled-back']],
    ['failed', ['complete', 'rolled-back']],
    ['complete', ['rolled-back']],
    ['rolled-back', []],
  ] as const)('a %s status never replaces the outcomes %j of the same deployment', (next, blocked) => {
    expect(statesNotReplaceableBy(next)).toEqual(blocked);
  });

  it('describes what it observed', () => {
    expect(sinkDescription('dpl-prod-eu-3')).toBe('convoy dpl-prod-eu-3');
    expect(sinkMessage(7, 'BAKING', 100)).toBe('AppConfig deployment 7: BAKING (100%)');
    expect(sinkMessage(7, 'REVERTED', 100)).toBe('AppConfig rolled back deployment 7 (REVERTED)');
  });

  it.each([
    ['the same version, in progress', live(7, 3, 'DEPLOYING'), true],
    ['the same version, complete', live(7, 3, 'COMPLETE'), true],
    ['the same version, rolled back', live(7, 3, 'ROLLED_BACK'), false],
    ['the same version, reverted', live(7, 3, 'REVERTED'), false],
    ['another version', live(7, 4, 'DEPLOYING'), false],
    ['no deployment at all', undefined, false],
  ])('reuses a live deployment of %s: %s', (_case, deployment, reusable) => {
    expect(isReusableDeployment(deployment, 3)).toBe(reusable);
  });

  const complete = status('complete', { versionNumber: 3, deploymentNumber: 7 });
  it.each([
    ['never published', undefined, undefined, true, 'HEAD was never published to the sink'],
    [
      'pending',
      status('pending', { versionNumber: 3 }),
      undefined,
      true,
      'the publication of HEAD did not finish',
    ],
    [
      'failed',
      status('failed', { message: 'boom' }),
      undefined,
      true,
      'the publication of HEAD failed: boom',
    ],
    ['failed silently', status('failed'), undefined, true, 'the publication of HEAD failed: unknown error'],
    [
      'rolled back',
      status('rolled-back', { deploymentNumber: 7 }),
      undefined,
      true,
      'AppConfig rolled HEAD back',
    ],
    [
      'deploying',
      status('deploying', { deploymentNumber: 7 }),
      undefined,
      false,
      'AppConfig deployment 7 is in progress',
    ],
    [
      'deploying without number',
      status('deploying'),
      undefined,
      false,
      'AppConfig deployment ? is in progress',
    ],
    ['complete, live unknown', complete, undefined, false, 'AppConfig serves HEAD (version 3)'],
    ['complete, still live', complete, live(7, 3, 'COMPLETE'), false, 'AppConfig serves HEAD (version 3)'],
    [
      'complete, redeployed as is',
      complete,
      live(8, 3, 'COMPLETE'),
      false,
      'AppConfig serves HEAD (version 3)',
    ],
    [
      'complete, overtaken',
      complete,
      live(8, 4, 'DEPLOYING'),
      true,
      'AppConfig deployment 8 replaced HEAD with version 4',
    ],
    [
      'complete, overtaken then rolled back',
      complete,
      live(8, 4, 'ROLLED_BACK'),
      false,
      'AppConfig serves HEAD (version 3)',
    ],
    [
      'complete without numbers',
      status('complete'),
      live(1, 4, 'COMPLETE'),
      true,
      'AppConfig deployment 1 replaced HEAD with version 4',
    ],
    [
      'complete without version',
      status('complete', { deploymentNumber: 7 }),
      undefined,
      false,
      'AppConfig serves HEAD (version ?)',
    ],
  ])('sync decision when %s', (_case, current, observed, publish, reason) => {
    expect(syncDecision(current, observed)).toEqual({ publish, reason });
  });
});

describe('AppConfig wiring', () => {
  it('builds the SDK publisher only with CONVOY_APPCONFIG=on', () => {
    const clients = {
      eventBridge: () => {
        throw new Error('unused');
      },
      stepFunctions: () => {
        throw new Error('unused');
      },
      scheduler: () => {
        throw new Error('unused');
      },
    };
    expect(awsIntegrationsFromEnv({ [integrationEnv.appConfig]: 'off' }, clients)).toEqual({});
    expect(awsIntegrationsFromEnv({ [integrationEnv.appConfig]: 'on' }, clients).appconfig).toBeInstanceOf(
      AppConfigSdkPublisher,
    );
    const withClient = { ...clients, appConfig: () => new AppConfigClient({ region: 'eu-west-1' }) };
    expect(awsIntegrationsFromEnv({ [integrationEnv.appConfig]: 'on' }, withClient).appconfig).toBeInstanceOf(
      AppConfigSdkPublisher,
    );
  });

  it('gives handlers the publisher when enabled, and a fail-loud one otherwise', async () => {
    await expect(depsFromEnvironment({}).appconfig.latestVersion({} as never)).rejects.toMatchObject({
      code: 'unavailable',
      message: 'AppConfig is not configured in this process.',
    });
    expect(depsFromEnvironment({ [integrationEnv.appConfig]: 'on' }).appconfig).toBeInstanceOf(
      AppConfigSdkPublisher,
    );
  });

  const port = unconfiguredIntegrations().appconfig;
  const binding = { application: 'a', environment: 'e', profile: 'p', deploymentStrategy: 's' };
  it.each([
    ['latestVersion', () => port.latestVersion(binding)],
    [
      'createVersion',
      () => port.createVersion(binding, { content: '{}', contentType: 'application/json', description: 'd' }),
    ],
    ['startDeployment', () => port.startDeployment(binding, 1, 'd')],
    ['getDeployment', () => port.getDeployment(binding, 1)],
    ['latestDeployment', () => port.latestDeployment(binding)],
  ] as const)('fails %s loudly when AppConfig is not configured', async (_method, call) => {
    await expect(call()).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('fails stopping a workflow execution loudly when no workflow engine is configured', async () => {
    const workflows = unconfiguredIntegrations().workflows;
    await expect(
      workflows.stop({ workflow: 'progressive-rollout', name: 'r-1', cause: 'c' }),
    ).rejects.toMatchObject({
      code: 'unavailable',
      message: 'The workflow engine is not configured in this process.',
    });
  });
});
