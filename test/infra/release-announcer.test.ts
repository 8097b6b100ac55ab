import { Match } from 'aws-cdk-lib/assertions';
import { describe, test } from 'vitest';
import { synthConvoy } from './support/convoy-app.ts';

const { stack, template } = synthConvoy();
const announcer = stack.functions.get('release-announcer')!;
const functionArn = {
  'Fn::GetAtt': [stack.getLogicalId(announcer.handler.node.defaultChild as never), 'Arn'],
};

describe('release announcer', () => {
  test('a rule on the audit bus sends release steps and bundle flips to it, retried for six hours', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('^AuditBus') },
      EventPattern: {
        source: ['convoy.audit'],
        detail: {
          item: {
            eventType: {
              S: Match.arrayWith([
                'ReleaseDeployed',
                'ReleaseRolledBack',
                'BundleDeployed',
                'EnvironmentRolledBack',
              ]),
            },
          },
        },
      },
      Targets: [
        Match.objectLike({
          Arn: functionArn,
          RetryPolicy: { MaximumEventAgeInSeconds: 21600, MaximumRetryAttempts: 20 },
        }),
      ],
    });
  });

  test('it may put events on the convoy bus and names it', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ CONVOY_EVENT_BUS_NAME: Match.anyValue() }),
      },
      Description: Match.stringLikeRegexp('release steps'),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'events:PutEvents',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventsBus'), 'Arn'] },
          }),
        ]),
      }),
      Roles: [{ Ref: stack.getLogicalId(announcer.role.node.defaultChild as never) }],
    });
  });
});
