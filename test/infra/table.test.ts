import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { createTableInput, tableDefinition } from '#store/table.ts';
import { synthConvoy } from './support/convoy-app.ts';
import { resourcesOf } from './support/template-query.ts';

const { template } = synthConvoy();
const local = createTableInput('convoy');

describe('the Convoy table', () => {
  test('is the only table', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  test('has the keys and index of tableDefinition, exactly as the embedded runtime creates them', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: local.KeySchema,
      AttributeDefinitions: Match.arrayEquals(local.AttributeDefinitions),
      GlobalSecondaryIndexes: local.GlobalSecondaryIndexes,
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: tableDefinition.gsi1.indexName,
          KeySchema: [
            { AttributeName: tableDefinition.gsi1.partitionKey, KeyType: 'HASH' },
            { AttributeName: tableDefinition.gsi1.sortKey, KeyType: 'RANGE' },
          ],
        }),
      ],
    });
  });

  test('is on-demand with point-in-time recovery, TTL and a NEW_IMAGE stream', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      StreamSpecification: { StreamViewType: tableDefinition.streamView },
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
    });
  });

  test('is encrypted, deletion-protected and retained when the stack goes', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
      }),
    });
  });

  test('has a generated name, given to every function through CONVOY_TABLE_NAME', () => {
    const [tableId] = Object.keys(resourcesOf(template, 'AWS::DynamoDB::Table'));
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: Match.absent() });
    const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      expect(fn.Properties?.Environment).toMatchObject({
        Variables: { CONVOY_TABLE_NAME: { Ref: tableId } },
      });
    }
  });
});
