import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainEvent, chainStart, type AuditEvent } from '#domain/audit/event.ts';
import { startAuditRelay } from '#local/audit-relay.ts';
import { createEventBus } from '#local/event-bus.ts';
import { createLocalDynamoDbClient } from '#local/local-clients.ts';
import { auditEventItem } from '#store/items.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';

/**
 * On DynamoDB Local, a shard iterator taken while its shard is empty reads as trimmed once another
 * table is created in the engine. The relay took one at start and, when its first read came after
 * that (tests running in parallel), retried it forever: `convoy up` delivered no audit event at all.
 */
describe('regression: the relay delivered nothing after another table was created', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await createTestTable('reg-relay');
  });
  afterAll(async () => {
    await table.drop();
  });

  it('delivers the events written after another table was created, before its first read', async () => {
    const dynamo = createLocalDynamoDbClient(table.endpoint);
    const described = await dynamo.send(new DescribeTableCommand({ TableName: table.tableName }));
    dynamo.destroy();
    const delivered: AuditEvent[] = [];
    const bus = createEventBus<AuditEvent>();
    bus.subscribe('test', (e) => {
      delivered.push(e.detail);
    });
    const errors: unknown[] = [];
    // The first read waits one interval: the writes below land before it.
    const relay = await startAuditRelay({
      endpoint: table.endpoint,
      tableName: table.tableName,
      streamArn: described.Table?.LatestStreamArn,
      bus,
      intervalMs: 1000,
      onError: (error) => errors.push(error),
    });
    const other = await createTestTable('reg-relay-other');
    try {
      const written = [1, 2].map((seq) =>
        chainEvent(
          'reg',
          { ...chainStart, seq: seq - 1 },
          {
            type: 'BundleDeployed',
            at: `2026-01-05T10:00:0${seq}.000Z`,
            actor: 'olivia',
            subject: 'reg',
            detail: { bundle: `b@${seq}` },
          },
        ),
      );
      for (const e of written)
        await table.doc.send(new PutCommand({ TableName: table.tableName, Item: auditEventItem(e) }));
      for (let attempt = 0; attempt < 100 && delivered.length < 2; attempt += 1) await sleep(100);
      expect(delivered).toEqual(written);
      expect(errors).toEqual([]);
    } finally {
      await relay.stop();
      await other.drop();
    }
  });
});
