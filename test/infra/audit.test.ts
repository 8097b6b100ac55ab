import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { auditDetailType, auditEventSource } from '#infra/audit-bus.ts';
import { auditFilterPattern } from '#infra/audit-pipe.ts';
import { itemTypes } from '#store/keys.ts';
import { synthConvoy } from './support/convoy-app.ts';
import { matchesPattern, type Pattern } from './support/event-pattern.ts';
import { logicalId, resourcesOf, statementsOfRole } from './support/template-query.ts';

const { stack, template } = synthConvoy();
const tableId = logicalId(stack.table);
const busId = logicalId(stack.auditBus);
const queueId = logicalId(stack.auditPipe.deadLetterQueue);
const pipeRoleId = logicalId(stack.auditPipe.role);
const pipe = Object.values(resourcesOf(template, 'AWS::Pipes::Pipe'))[0]!;
const filter = JSON.parse(
  (pipe.Properties?.SourceParameters as { FilterCriteria: { Filters: { Pattern: string }[] } }).FilterCriteria
    .Filters[0]!.Pattern,
) as Pattern;

const streamRecord = (eventName: string, type: string) => ({
  eventID: '1',
  eventName,
  dynamodb: { Keys: { pk: { S: 'AUDIT#prod' } }, NewImage: { pk: { S: 'AUDIT#prod' }, type: { S: type } } },
});

describe('the convoy-audit bus', () => {
  test('is named convoy-audit (beside the convoy notification bus)', () => {
    template.resourceCountIs('AWS::Events::EventBus', 2);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'convoy-audit' });
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'convoy' });
  });

  test('archives every audit event for a year', () => {
    template.resourceCountIs('AWS::Events::Archive', 1);
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [busId, 'Arn'] },
      EventPattern: { source: [auditEventSource] },
      RetentionDays: 365,
    });
  });
});

describe('the audit pipe', () => {
  test('reads the table stream from the oldest record and targets the audit bus', () => {
    template.resourceCountIs('AWS::Pipes::Pipe', 1);
    template.hasResourceProperties('AWS::Pipes::Pipe', {
      Source: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
      Target: { 'Fn::GetAtt': [busId, 'Arn'] },
      RoleArn: { 'Fn::GetAtt': [pipeRoleId, 'Arn'] },
      DesiredState: 'RUNNING',
      SourceParameters: Match.objectLike({
        DynamoDBStreamParameters: Match.objectLike({ StartingPosition: 'TRIM_HORIZON' }),
      }),
    });
  });

  test('filters to INSERTs of audit items', () => {
    template.hasResourceProperties('AWS::Pipes::Pipe', {
      SourceParameters: Match.objectLike({
        FilterCriteria: {
          Filters: [
            {
              Pattern: Match.serializedJson({
                eventName: ['INSERT'],
                dynamodb: { NewImage: { type: { S: [itemTypes.audit] } } },
              }),
            },
          ],
        },
      }),
    });
    expect(filter).toEqual(auditFilterPattern);
  });

  test.each([
    ['INSERT', itemTypes.audit, true],
    ['MODIFY', itemTypes.audit, false],
    ['REMOVE', itemTypes.audit, false],
    ['INSERT', itemTypes.envHead, false],
    ['INSERT', itemTypes.deployment, false],
    ['INSERT', itemTypes.blobChunk, false],
  ] as const)('a %s of a %s item passes: %s', (eventName, type, passes) => {
    expect(matchesPattern(filter, streamRecord(eventName, type))).toBe(passes);
  });

  test('puts "Convoy Audit Event" events from convoy.audit, carrying the stored item', () => {
    template.hasResourceProperties('AWS::Pipes::Pipe', {
      TargetParameters: {
        EventBridgeEventBusParameters: {
          DetailType: auditDetailType,
          Source: auditEventSource,
          Resources: [{ 'Fn::GetAtt': [tableId, 'Arn'] }],
        },
        InputTemplate: Match.stringLikeRegexp('"item":<\\$\\.dynamodb\\.NewImage>'),
      },
    });
    expect(auditDetailType).toBe('Convoy Audit Event');
    expect(auditEventSource).toBe('convoy.audit');
  });

  test('sends failed batches, bisected, to an encrypted TLS-only dead-letter queue', () => {
    template.hasResourceProperties('AWS::Pipes::Pipe', {
      SourceParameters: Match.objectLike({
        DynamoDBStreamParameters: Match.objectLike({
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
          MaximumRetryAttempts: 10,
          OnPartialBatchItemFailure: 'AUTOMATIC_BISECT',
        }),
      }),
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('logs its errors to a log group', () => {
    template.hasResourceProperties('AWS::Pipes::Pipe', {
      LogConfiguration: {
        Level: 'ERROR',
        CloudwatchLogsLogDestination: {
          LogGroupArn: { 'Fn::GetAtt': [logicalId(stack.auditPipe.logGroup), 'Arn'] },
        },
      },
    });
  });

  test('runs under a role only EventBridge Pipes of this account can assume', () => {
    expect(template.toJSON().Resources[pipeRoleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'pipes.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
  });

  test('its role reads the stream, puts on the bus, feeds the DLQ and writes its logs — nothing else', () => {
    expect(statementsOfRole(template, pipeRoleId)).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:DescribeStream',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:ListStreams',
        ],
        Resource: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
      },
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [busId, 'Arn'] } },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logicalId(stack.auditPipe.logGroup), 'Arn'] },
      },
    ]);
  });

  test('is created after its role policy', () => {
    const policyId = logicalId(stack.auditPipe.role.node.findChild('DefaultPolicy'));
    expect(pipe.DependsOn).toEqual(expect.arrayContaining([policyId, pipeRoleId]));
  });
});
