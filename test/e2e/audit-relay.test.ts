import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainEvent, chainStart, type AuditEvent } from '#domain/audit/event.ts';
import { isAuditInsert } from '#local/audit-filter.ts';
import { startAuditRelay } from '#local/audit-relay.ts';
import { createEventBus } from '#local/event-bus.ts';
import { createLocalDynamoDbClient } from '#local/local-clients.ts';
import { auditEventItem } from '#store/items.ts';
import { itemTypes } from '#store/keys.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';

const event = (chain: string, seq: number, at: string): AuditEvent =>
  chainEvent(
    chain,
    { ...chainStart, seq: seq - 1 },
    {
      type: 'BundleDeployed',
      at,
      actor: 'olivia',
      subject: chain,
      detail: { bundle: `b@${seq}` },
    },
  );

const waitFor = async (check: () => boolean): Promise<void> => {
  for (let attempt = 0; attempt < 150 && !check(); attempt += 1) await sleep(100);
};

/** The embedded outbox relay on DynamoDB Local: only new audit items reach the bus. */
describe('audit relay', () => {
  let table: TestTable;
  let streamArn: string | undefined;

  beforeAll(async () => {
    table = await createTestTable('e2e-relay');
    const dynamo = createLocalDynamoDbClient(table.endpoint);
    streamArn = (await dynamo.send(new DescribeTableCommand({ TableName: table.tableName }))).Table
      ?.LatestStreamArn;
    dynamo.destroy();
  });

  afterAll(async () => {
    await table.drop();
  });

  it('filters stream records like the Pipe: audit INSERTs only', () => {
    const image = (type: string) => ({ type: { S: type } });
    expect(isAuditInsert({ eventName: 'INSERT', dynamodb: { NewImage: image(itemTypes.audit) } })).toBe(true);
    expect(isAuditInsert({ eventName: 'MODIFY', dynamodb: { NewImage: image(itemTypes.audit) } })).toBe(
      false,
    );
    expect(isAuditInsert({ eventName: 'INSERT', dynamodb: { NewImage: image(itemTypes.envHead) } })).toBe(
      false,
    );
    expect(isAuditInsert({ eventName: 'INSERT' })).toBe(false);
    expect(isAuditInsert(null)).toBe(false);
  });

  it.each(['streams', 'polling'] as const)('delivers new audit events in order (%s)', async (mode) => {
    const chain = `relay-${mode}`;
    const bus = createEventBus<AuditEvent>();
    const delivered: AuditEvent[] = [];
    bus.subscribe('test', (e) => {
      delivered.push(e.detail);
    });
    const relay = await startAuditRelay({
      endpoint: table.endpoint,
      tableName: table.tableName,
      streamArn: mode === 'streams' ? streamArn : undefined,
      bus,
      intervalMs: 50,
    });
    expect(relay.mode).toBe(mode);
    try {
      const now = Date.now();
      const written = [1, 2, 3].map((seq) => event(chain, seq, new Date(now + seq).toISOString()));
      for (const e of written)
        await table.doc.send(new PutCommand({ TableName: table.tableName, Item: auditEventItem(e) }));
      await waitFor(() => delivered.filter((e) => e.chain === chain).length >= 3);
      expect(delivered.filter((e) => e.chain === chain)).toEqual(written);
      // Neither a non-audit item nor an edit of an audit item is an event.
      await table.doc.send(
        new PutCommand({
          TableName: table.tableName,
          Item: { pk: `X#${chain}`, sk: 'HEAD', type: itemTypes.envHead },
        }),
      );
      const [first] = written;
      await table.doc.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: { pk: `AUDIT#${chain}`, sk: auditEventItem(first!).sk },
          UpdateExpression: 'SET actor = :a',
          ExpressionAttributeValues: { ':a': 'mallory' },
        }),
      );
      await sleep(500); // a wrongly relayed MODIFY or non-audit item would arrive by now
      expect(delivered.filter((e) => e.chain === chain)).toEqual(written);
    } finally {
      await relay.stop();
    }
  });

  it('polling also delivers an event committed after a newer one (look-back)', async () => {
    const chain = 'relay-late';
    const bus = createEventBus<AuditEvent>();
    const delivered: AuditEvent[] = [];
    bus.subscribe('test', (e) => {
      if (e.detail.chain === chain) delivered.push(e.detail);
    });
    const relay = await startAuditRelay({
      endpoint: table.endpoint,
      tableName: table.tableName,
      streamArn: undefined,
      bus,
      intervalMs: 50,
    });
    try {
      const now = Date.now();
      const newer = event(chain, 2, new Date(now + 1000).toISOString());
      const older = event(chain, 1, new Date(now + 500).toISOString());
      await table.doc.send(new PutCommand({ TableName: table.tableName, Item: auditEventItem(newer) }));
      await waitFor(() => delivered.length >= 1);
      await table.doc.send(new PutCommand({ TableName: table.tableName, Item: auditEventItem(older) }));
      await waitFor(() => delivered.length >= 2);
      expect(delivered).toEqual([newer, older]);
    } finally {
      await relay.stop();
    }
  });
});
