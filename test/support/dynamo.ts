import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createTableInput } from '#store/table.ts';
import { createDocumentClient } from '#store/client.ts';

export interface TestTable {
  endpoint: string;
  tableName: string;
  doc: ReturnType<typeof createDocumentClient>;
  /** Every item in the table, sorted by key: compare before/after to prove nothing was written. */
  dump(): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

/** A fresh table (from the shared definition) in the run's DynamoDB Local. */
export const createTestTable = async (prefix = 'test'): Promise<TestTable> => {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  const raw = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await raw.send(new CreateTableCommand(createTableInput(tableName)));
  const doc = createDocumentClient({ endpoint });
  const dump = async (): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await raw.send(
        new ScanCommand({ TableName: tableName, ExclusiveStartKey: start as never, ConsistentRead: true }),
      );
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  };
  return {
    endpoint,
    tableName,
    doc,
    dump,
    drop: async () => {
      await raw.send(new DeleteTableCommand({ TableName: tableName }));
    },
  };
};
