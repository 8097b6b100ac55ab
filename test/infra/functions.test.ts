import { existsSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { describe, expect, test } from 'vitest';
import { handlerEntry, routeGroups } from '#api/routes.ts';
import { convoyBundling, entryPath, esmRequireBanner } from '#infra/bundling.ts';
import { synthConvoy } from './support/convoy-app.ts';
import { logicalId, resourcesOf } from './support/template-query.ts';

const { stack, template } = synthConvoy();
const functions = resourcesOf(template, 'AWS::Lambda::Function');
/** Functions beside the API: workflow tasks, scheduled jobs and event consumers. */
const otherFunctions = [
  'freeze-activation',
  'override-decision',
  'rollout-deploy-phase',
  'rollout-decide',
  'rollout-roll-back',
  'rollout-execution-ended',
  'audit-checkpoint',
  'pipeline-rollout-action',
  'pipeline-stage-condition',
  'release-announcer',
];

describe('the API functions', () => {
  test('are one per route group, beside the workflow and scheduled functions', () => {
    expect(Object.keys(functions)).toHaveLength(routeGroups.length + otherFunctions.length);
    expect(Object.keys(stack.apiFunctions).sort()).toEqual([...routeGroups].sort());
    expect([...stack.functions.keys()].sort()).toEqual(
      [...routeGroups.map((g) => `api-${g}`), ...otherFunctions].sort(),
    );
  });

  test('bundle the handler entry file of their group', () => {
    for (const group of routeGroups) expect(existsSync(entryPath(handlerEntry(group))), group).toBe(true);
  });

  test.each(routeGroups)('%s runs Node.js 24 on arm64 with active tracing', (group) => {
    expect(functions[logicalId(stack.apiFunctions[group])]?.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
      Timeout: 10,
      MemorySize: 1024,
    });
  });

  test('every function gets the table name, the powertools service name and a log level', () => {
    for (const fn of Object.values(functions)) {
      expect(fn.Properties?.Environment).toEqual({
        Variables: expect.objectContaining({
          CONVOY_TABLE_NAME: { Ref: logicalId(stack.table) },
          POWERTOOLS_SERVICE_NAME: 'convoy',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
        }),
      });
    }
  });

  test('only the functions that call an integration are configured for it', () => {
    const variables = (id: string) =>
      Object.keys(
        (
          functions[logicalId(stack.functions.get(id)!.handler)]?.Properties?.Environment as {
            Variables: Record<string, unknown>;
          }
        ).Variables,
      ).filter(
        (name) =>
          !['CONVOY_TABLE_NAME', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_LOG_LEVEL', 'NODE_OPTIONS'].includes(
            name,
          ),
      );
    const scheduling = [
      'CONVOY_EVENT_BUS_NAME',
      'CONVOY_FREEZE_ACTIVATION_FUNCTION_ARN',
      'CONVOY_SCHEDULER_ROLE_ARN',
      'CONVOY_SCHEDULE_GROUP_NAME',
    ];
    expect(variables('api-freezes').sort()).toEqual(scheduling);
    expect(variables('freeze-activation').sort()).toEqual(scheduling);
    expect(variables('api-overrides')).toEqual(['CONVOY_OVERRIDE_STATE_MACHINE_ARN']);
    expect(variables('override-decision')).toEqual(['CONVOY_OVERRIDE_STATE_MACHINE_ARN']);
    expect(variables('api-rollouts')).toEqual(['CONVOY_ROLLOUT_STATE_MACHINE_ARN']);
    expect(variables('pipeline-rollout-action')).toEqual(['CONVOY_ROLLOUT_STATE_MACHINE_ARN']);
    expect(variables('pipeline-stage-condition')).toEqual([]);
    expect(variables('rollout-deploy-phase')).toEqual(['CONVOY_APPCONFIG']);
    expect(variables('rollout-roll-back')).toEqual(['CONVOY_APPCONFIG']);
    expect(variables('rollout-decide').sort()).toEqual([
      'CONVOY_APPCONFIG',
      'CONVOY_ROLLOUT_STATE_MACHINE_ARN',
    ]);
    expect(variables('rollout-execution-ended')).toEqual(['CONVOY_ROLLOUT_STATE_MACHINE_ARN']);
    expect(variables('api-deployments')).toEqual(['CONVOY_APPCONFIG']);
    const checkpoints = ['CONVOY_CHECKPOINT_BUCKET', 'CONVOY_CHECKPOINT_KEY_ID'];
    expect(variables('api-audit').sort()).toEqual(checkpoints);
    expect(variables('audit-checkpoint').sort()).toEqual(checkpoints);
    for (const group of ['health', 'catalog', 'bundles', 'environments', 'reports']) {
      expect(variables(`api-${group}`), group).toEqual([]);
    }
  });

  test('the log level comes from the stack props', () => {
    const debug = synthConvoy({ logLevel: 'DEBUG' }).template;
    debug.allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_LOG_LEVEL: 'DEBUG' }) },
    });
  });

  test.each(routeGroups)('%s logs to its own log group with a retention', (group) => {
    const convoyFunction = stack.functions.get(`api-${group}`)!;
    const logGroupId = logicalId(convoyFunction.logGroup);
    expect(functions[logicalId(convoyFunction.handler)]?.Properties?.LoggingConfig).toEqual({
      LogGroup: { Ref: logGroupId },
    });
    expect(template.toJSON().Resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
    });
  });

  test('run under their own roles, without AWS managed policies', () => {
    const roles = new Set(Object.values(functions).map((fn) => JSON.stringify(fn.Properties?.Role)));
    expect(roles.size).toBe(routeGroups.length + otherFunctions.length);
    for (const group of routeGroups) {
      const role = stack.functions.get(`api-${group}`)!.role;
      expect(template.toJSON().Resources[logicalId(role)].Properties).toMatchObject({
        AssumeRolePolicyDocument: {
          Statement: [expect.objectContaining({ Principal: { Service: 'lambda.amazonaws.com' } })],
        },
      });
    }
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });
});

describe('bundling', () => {
  test('emits minified ESM for Node 24 with source maps and a require shim', () => {
    expect(convoyBundling).toMatchObject({
      format: OutputFormat.ESM,
      target: 'node24',
      minify: true,
      sourceMap: true,
      banner: esmRequireBanner,
    });
    expect(esmRequireBanner).toContain('createRequire');
    expect(esmRequireBanner).toContain('const require =');
  });
});
