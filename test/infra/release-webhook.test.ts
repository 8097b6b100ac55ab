import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, test } from 'vitest';
import { buildConvoy, synthConvoy } from './support/convoy-app.ts';

const url = 'https://hooks.example.com/convoy/releases';
const { app, template } = synthConvoy({
  releaseWebhook: { url, secretName: 'convoy/release-webhook', header: 'X-Api-Key' },
});

describe('release webhook (releaseWebhook prop)', () => {
  test('a rule on the convoy bus takes the release events to the API destination, with retries and a DLQ', () => {
    const getAtt = (id: string) => ({
      'Fn::GetAtt': [Match.stringLikeRegexp(`^ReleaseWebhook${id}`), 'Arn'],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('^EventsBus') },
      EventPattern: { source: ['convoy.release'] },
      Targets: [
        Match.objectLike({
          Arn: getAtt('Destination'),
          DeadLetterConfig: { Arn: getAtt('DeadLetters') },
          RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
        }),
      ],
    });
  });

  test('the destination POSTs to the URL through a connection whose key is read from Secrets Manager', () => {
    template.hasResourceProperties('AWS::Events::ApiDestination', {
      InvocationEndpoint: url,
      HttpMethod: 'POST',
      InvocationRateLimitPerSecond: 5,
    });
    template.hasResourceProperties('AWS::Events::Connection', {
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: {
          ApiKeyName: 'X-Api-Key',
          ApiKeyValue: Match.stringLikeRegexp('resolve:secretsmanager:convoy/release-webhook'),
        },
      },
    });
  });

  test('the dead-letter queue is encrypted and refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86400,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
  });

  test('without the prop there is no API destination; a plain-HTTP URL is refused', () => {
    synthConvoy().template.resourceCountIs('AWS::Events::ApiDestination', 0);
    expect(() =>
      buildConvoy({ releaseWebhook: { url: 'http://hooks.example.com', secretName: 's' } }),
    ).toThrow(/https:/);
  });

  test('cdk-nag AwsSolutions reports nothing on it', () => {
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);
    expect(report.violations.filter((v) => v.severity !== 'info')).toEqual([]);
  });
});
