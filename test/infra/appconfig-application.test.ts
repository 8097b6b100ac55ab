import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, test } from 'vitest';
import { synthConvoy } from './support/convoy-app.ts';

const { app, stack, template } = synthConvoy({
  appConfig: { application: 'convoy-shop', environments: ['staging', 'prod-eu'] },
});
const applicationRef = { Ref: stack.getLogicalId(stack.appConfig!.application) };

describe('AppConfig application (appConfig prop)', () => {
  test('the feature-flag profile is a hosted AWS.AppConfig.FeatureFlags profile of the application', () => {
    template.hasResourceProperties('AWS::AppConfig::ConfigurationProfile', {
      ApplicationId: applicationRef,
      Name: 'convoy-flags',
      LocationUri: 'hosted',
      Type: 'AWS.AppConfig.FeatureFlags',
      RetrievalRoleArn: Match.absent(),
      Validators: Match.absent(),
    });
  });

  test('the flag-set profile (what the provider loads) is hosted and freeform', () => {
    template.hasResourceProperties('AWS::AppConfig::ConfigurationProfile', {
      ApplicationId: applicationRef,
      Name: 'convoy-flag-set',
      LocationUri: 'hosted',
      Type: 'AWS.Freeform',
    });
  });

  test('the configuration profile is hosted and freeform; exactly three profiles', () => {
    template.resourceCountIs('AWS::AppConfig::ConfigurationProfile', 3);
    template.hasResourceProperties('AWS::AppConfig::ConfigurationProfile', {
      ApplicationId: applicationRef,
      Name: 'convoy-config',
      LocationUri: 'hosted',
      Type: 'AWS.Freeform',
    });
  });

  test('one application and one environment per name, in that application', () => {
    template.resourceCountIs('AWS::AppConfig::Application', 1);
    template.hasResourceProperties('AWS::AppConfig::Application', { Name: 'convoy-shop' });
    template.resourceCountIs('AWS::AppConfig::Environment', 2);
    for (const name of ['staging', 'prod-eu'])
      template.hasResourceProperties('AWS::AppConfig::Environment', {
        ApplicationId: applicationRef,
        Name: name,
      });
  });

  test('without the prop, the stack creates no AppConfig resource', () => {
    const plain = synthConvoy().template;
    for (const type of ['Application', 'Environment', 'ConfigurationProfile'])
      plain.resourceCountIs(`AWS::AppConfig::${type}`, 0);
  });

  test('cdk-nag AwsSolutions reports nothing on it', () => {
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);
    expect(report.violations.filter((v) => v.severity !== 'info')).toEqual([]);
  });
});
