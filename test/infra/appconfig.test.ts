import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, test } from 'vitest';
import {
  appConfigAccountListActions,
  appConfigApplicationActions,
  grantAppConfig,
} from '#infra/appconfig-access.ts';
import { ConvoyStack } from '#infra/convoy-stack.ts';
import { integrationEnv } from '#integrations/integration-env.ts';
import { skipBundling, synthConvoy } from './support/convoy-app.ts';
import {
  allStatements,
  asArray,
  logicalId,
  resourcesOf,
  statementsOfRole,
  type PolicyStatementJson,
} from './support/template-query.ts';

const { app, stack, template } = synthConvoy();

const appConfigArn = (resource: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':appconfig:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${resource}/*`,
    ],
  ],
});
const touchesAppConfig = (s: PolicyStatementJson) =>
  asArray(s.Action).some((a) => a.startsWith('appconfig:'));

/** Ids of the functions configured to publish (CONVOY_APPCONFIG=on). */
const publishers = (): string[] => {
  const functions = resourcesOf(template, 'AWS::Lambda::Function');
  return [...stack.functions]
    .filter(([, fn]) => {
      const env = functions[logicalId(fn.handler)]?.Properties?.Environment as
        { Variables?: Record<string, unknown> } | undefined;
      return env?.Variables?.[integrationEnv.appConfig] === 'on';
    })
    .map(([id]) => id)
    .sort();
};

const acknowledgedOn = (root: App, id: string): string[] =>
  root.node
    .findAll()
    .filter((c) =>
      c.node.metadata.some(
        (m) =>
          m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY &&
          Object.keys(m.data as object).some((k) => k.endsWith(id)),
      ),
    )
    .map((c) => c.node.path)
    .sort();

describe('AppConfig access', () => {
  test('the deployments API function publishes to AppConfig', () => {
    expect(publishers()).toContain('api-deployments');
  });

  test('a publisher gets exactly the AppConfig statements, scoped to applications and strategies of its account and region', () => {
    for (const id of publishers()) {
      const statements = statementsOfRole(template, logicalId(stack.functions.get(id)!.role)).filter(
        touchesAppConfig,
      );
      expect(statements, id).toEqual([
        { Effect: 'Allow', Action: [...appConfigApplicationActions], Resource: appConfigArn('application') },
        {
          Effect: 'Allow',
          Action: 'appconfig:StartDeployment',
          Resource: appConfigArn('deploymentstrategy'),
        },
        { Effect: 'Allow', Action: [...appConfigAccountListActions], Resource: '*' },
      ]);
    }
  });

  test('Resource "*" carries only the name lookups that support no resource-level permissions', () => {
    const star = allStatements(template).filter((s) => touchesAppConfig(s) && s.Resource === '*');
    for (const statement of star)
      expect(statement.Action).toEqual(['appconfig:ListApplications', 'appconfig:ListDeploymentStrategies']);
    const granted = allStatements(template)
      .filter(touchesAppConfig)
      .flatMap((s) => asArray(s.Action));
    for (const action of granted) expect(action).not.toMatch(/\*/);
    for (const write of [
      'appconfig:DeleteApplication',
      'appconfig:UpdateEnvironment',
      'appconfig:StopDeployment',
    ])
      expect(granted).not.toContain(write);
  });

  test('no function that does not publish can touch AppConfig', () => {
    const withAppConfig = [...stack.functions]
      .filter(([, fn]) => statementsOfRole(template, logicalId(fn.role)).some(touchesAppConfig))
      .map(([id]) => id)
      .sort();
    expect(withAppConfig).toEqual(publishers());
  });

  test('the wildcards are acknowledged for cdk-nag exactly on the publishing roles, with a justification', () => {
    const roles = publishers()
      .map((id) => stack.functions.get(id)!.role.node.path)
      .sort();
    for (const resource of ['application', 'deploymentstrategy']) {
      const id = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:appconfig:<AWS::Region>:<AWS::AccountId>:${resource}/*]`;
      expect(acknowledgedOn(app, id), resource).toEqual(roles);
    }
  });

  test('an environment-bound stack acknowledges the literal ARNs cdk-nag reports, and passes cdk-nag', () => {
    const bound = new App({ context: skipBundling });
    const convoy = new ConvoyStack(bound, 'Convoy', {
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    const publishers = [
      'api-deployments',
      'api-releases',
      'rollout-deploy-phase',
      'rollout-decide',
      'rollout-roll-back',
    ];
    const roles = publishers.map((id) => convoy.functions.get(id)!.role.node.path);
    expect(
      acknowledgedOn(
        bound,
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:appconfig:eu-west-1:123456789012:application/*]',
      ).sort(),
    ).toEqual(roles.sort());
    const report = new AwsSolutionsChecks(bound).validateScope(bound);
    expect(
      report.violations.filter((v) =>
        v.violatingResources.some((r) => roles.some((role) => r.constructPath?.startsWith(role))),
      ),
    ).toEqual([]);
  });

  test('grantAppConfig works on any role', () => {
    const standalone = new Stack(new App(), 'Standalone');
    const role = new Role(standalone, 'Publisher', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    grantAppConfig(role);
    const statements = Template.fromStack(standalone).findResources('AWS::IAM::Policy');
    expect(JSON.stringify(statements)).toContain('appconfig:CreateHostedConfigurationVersion');
  });
});
