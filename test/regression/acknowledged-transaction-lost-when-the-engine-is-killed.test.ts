import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { addCommitBarrier } from '#local/commit-barrier.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '#local/dynamodb-local.ts';
import { createLocalDynamoDbClient } from '#local/local-clients.ts';
import { tableDefinition } from '#store/table.ts';

/**
 * Symptom (issue 10, item 5): a deploy answered 201 about 20 ms before `kill -9` of DynamoDB Local
 * was gone after the restart (2 of 2 tries). DynamoDB Local acknowledges TransactWriteItems before
 * its SQLite COMMIT runs; without the commit barrier the last transaction before the kill was lost in
 * 7 of 12 runs of this test's loop. With it, every acknowledged transaction is on disk.
 */
describe('regression: an acknowledged transaction was lost when the engine was killed', () => {
  const dirs: string[] = [];
  const engines: DynamoDbLocal[] = [];

  afterAll(async () => {
    for (const engine of engines) await engine.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const { partitionKey: pk, sortKey: sk } = tableDefinition;
  const key = (id: string) => ({ [pk]: { S: id }, [sk]: { S: 'item' } });

  it.each([1, 2, 3])(
    'keeps all 50 acknowledged transactions through kill -9 (try %i)',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'convoy-durable-'));
      dirs.push(dataDir);
      const first = await startDynamoDbLocal({ dataDir });
      engines.push(first);
      const client: DynamoDBClient = createLocalDynamoDbClient(first.endpoint);
      const barrier = createLocalDynamoDbClient(first.endpoint);
      addCommitBarrier(client, barrier);
      await client.send(
        new CreateTableCommand({
          TableName: 'durable',
          KeySchema: [
            { AttributeName: pk, KeyType: 'HASH' },
            { AttributeName: sk, KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: pk, AttributeType: 'S' },
            { AttributeName: sk, AttributeType: 'S' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      for (let i = 0; i < 50; i += 1) {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName: 'durable',
                  Item: key(`deployment-${i}`),
                  ConditionExpression: `attribute_not_exists(${pk})`,
                },
              },
              {
                Update: {
                  TableName: 'durable',
                  Key: key('head'),
                  UpdateExpression: 'ADD version :one',
                  ExpressionAttributeValues: { ':one': { N: '1' } },
                },
              },
            ],
          }),
        );
      }
      process.kill(first.pid!, 'SIGKILL');
      await first.exited;
      client.destroy();
      barrier.destroy();

      const second = await startDynamoDbLocal({ dataDir, port: first.port });
      engines.push(second);
      const reader = createLocalDynamoDbClient(second.endpoint);
      const items = (await reader.send(new ScanCommand({ TableName: 'durable' }))).Items ?? [];
      reader.destroy();
      const ids = items.map((item) => item[pk]?.S);
      expect(ids.filter((id) => id?.startsWith('deployment-'))).toHaveLength(50);
      expect(items.find((item) => item[pk]?.S === 'head')?.version?.N).toBe('50');
    },
    60_000,
  );
});
