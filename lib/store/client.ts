import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoDbSettings {
  /** Unset on AWS; DynamoDB Local or any compatible endpoint otherwise. */
  endpoint?: string;
  region?: string;
}

/** The document client Convoy uses everywhere: undefined attributes dropped, numbers as numbers. */
export const createDocumentClient = (settings: DynamoDbSettings = {}): DynamoDBDocumentClient => {
  const local = settings.endpoint !== undefined;
  const client = new DynamoDBClient({
    ...(local
      ? {
          endpoint: settings.endpoint,
          region: settings.region ?? 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : settings.region
        ? { region: settings.region }
        : {}),
    maxAttempts: 3,
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
};
