/**
 * The one Convoy table. CDK (lib/infra) and the embedded runtime (lib/local) both build the table from
 * this definition, so a key or index exists in one place only.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** One overloaded index: bundles by release, audit events by time. */
  gsi1: { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  timeToLiveAttribute: 'expiresAt',
  streamView: 'NEW_IMAGE',
} as const;

export const DEFAULT_TABLE_NAME = 'convoy';

/** CreateTable input for DynamoDB Local (and any plain-SDK environment). */
export const createTableInput = (tableName: string) => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: [
    { AttributeName: tableDefinition.partitionKey, AttributeType: 'S' as const },
    { AttributeName: tableDefinition.sortKey, AttributeType: 'S' as const },
    { AttributeName: tableDefinition.gsi1.partitionKey, AttributeType: 'S' as const },
    { AttributeName: tableDefinition.gsi1.sortKey, AttributeType: 'S' as const },
  ],
  KeySchema: [
    { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' as const },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: tableDefinition.gsi1.indexName,
      KeySchema: [
        { AttributeName: tableDefinition.gsi1.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: tableDefinition.gsi1.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    },
  ],
  StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.streamView },
});
