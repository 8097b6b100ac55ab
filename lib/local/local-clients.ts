import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

/** DynamoDB Local accepts any credentials; the region only names its database file. */
const localConfig = (endpoint: string) => ({
  endpoint,
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 3,
});

export const createLocalDynamoDbClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient(localConfig(endpoint));

export const createLocalStreamsClient = (endpoint: string): DynamoDBStreamsClient =>
  new DynamoDBStreamsClient(localConfig(endpoint));
