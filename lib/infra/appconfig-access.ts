import { ArnFormat, Stack, Token, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { integrationEnv } from '#integrations/integration-env.ts';

/** What publishing to AppConfig calls on resources inside an application (versions, deployments, lookups). */
export const appConfigApplicationActions = [
  'appconfig:CreateHostedConfigurationVersion',
  'appconfig:ListHostedConfigurationVersions',
  'appconfig:StartDeployment',
  'appconfig:GetDeployment',
  'appconfig:ListDeployments',
  'appconfig:ListEnvironments',
  'appconfig:ListConfigurationProfiles',
] as const;

/** Name lookups that AppConfig authorizes on no resource at all (IAM requires Resource "*"). */
export const appConfigAccountListActions = [
  'appconfig:ListApplications',
  'appconfig:ListDeploymentStrategies',
] as const;

const arnOf = (stack: Stack, resource: string) =>
  stack.formatArn({
    service: 'appconfig',
    resource,
    resourceName: '*',
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });

/** How cdk-nag spells an ARN of this stack in a finding id: deploy-time tokens, or an env-bound stack's literals. */
const findingArn = (stack: Stack, resource: string): string => {
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return `arn:<AWS::Partition>:appconfig:${region}:${account}:${resource}/*`;
};

/**
 * Let `role` publish to the AppConfig environments catalogs bind: hosted versions, deployments and the
 * name lookups, in this account and region. The catalog names its applications at run time, so the
 * grant covers `application/*` (every profile, environment, version and deployment lives under it) and,
 * for StartDeployment, `deploymentstrategy/*`. ListApplications and ListDeploymentStrategies support no
 * resource-level permissions; they only list names and ids, and the role's Resource "*" finding is
 * already acknowledged (X-Ray) by ConvoyFunction.
 */
export const grantAppConfig = (role: IRole): void => {
  const stack = Stack.of(role);
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [...appConfigApplicationActions],
      resources: [arnOf(stack, 'application')],
    }),
  );
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['appconfig:StartDeployment'],
      resources: [arnOf(stack, 'deploymentstrategy')],
    }),
  );
  role.addToPrincipalPolicy(
    new PolicyStatement({ actions: [...appConfigAccountListActions], resources: ['*'] }),
  );
  Validations.of(role).acknowledge(
    {
      id: `AwsSolutions-IAM5[Resource::${findingArn(stack, 'application')}]`,
      reason:
        'Catalogs bind environments to AppConfig applications by name at run time; the grant is limited to ' +
        'publishing (hosted versions, deployments) and lookups inside applications of this account and region.',
    },
    {
      id: `AwsSolutions-IAM5[Resource::${findingArn(stack, 'deploymentstrategy')}]`,
      reason:
        'StartDeployment needs the deployment strategy a catalog binding names at run time (its own or an ' +
        'AppConfig predefined one); only StartDeployment is granted on strategies of this account and region.',
    },
  );
};

/** Publish to AppConfig from this function: the grants, and CONVOY_APPCONFIG=on for its deps. */
export const enableAppConfig = (fn: { handler: LambdaFunction; role: IRole }): void => {
  grantAppConfig(fn.role);
  fn.handler.addEnvironment(integrationEnv.appConfig, 'on');
};
