import { startDynamoDbLocal } from '../lib/local/dynamodb-local.ts';
import { createDocumentClient } from '../lib/store/client.ts';
import { createTableInput } from '../lib/store/table.ts';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';

const engine = await startDynamoDbLocal();
try {
  const doc = createDocumentClient({ endpoint: engine.endpoint });
  await doc.send(new CreateTableCommand(createTableInput('ttt')));
  await doc.send(new PutCommand({ TableName: 'ttt', Item: { pk: 'H', sk: 'H', version: 1 } }));
  const tx = (v: number, token: string, x: string) => new TransactWriteCommand({
    ClientRequestToken: token,
    TransactItems: [
      { Update: { TableName: 'ttt', Key: { pk: 'H', sk: 'H' }, UpdateExpression: 'SET version = :n', ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': v, ':n': v + 1 }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
      { Put: { TableName: 'ttt', Item: { pk: 'X', sk: x }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ],
  });
  const show = async (label: string, p: Promise<unknown>) => {
    try { console.log(label, 'ok', JSON.stringify(await p).slice(0, 200)); }
    catch (e: any) { console.log(label, 'ERR', e.name, e.message, JSON.stringify(e.CancellationReasons)); }
  };
  await show('first', doc.send(tx(1, 'tok1', 'a')));
  await show('replay same', doc.send(tx(1, 'tok1', 'a')));
  await show('replay different', doc.send(tx(2, 'tok1', 'b')));
  await show('cancelled tok2', doc.send(tx(1, 'tok2', 'c')));
  await show('tok2 after cancel, different params', doc.send(tx(2, 'tok2', 'd')));
  console.log(JSON.stringify(await doc.send(new GetCommand({ TableName: 'ttt', Key: { pk: 'H', sk: 'H' } }))));
  // concurrency
  await doc.send(new PutCommand({ TableName: 'ttt', Item: { pk: 'C', sk: 'C', version: 0 } }));
  const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => doc.send(new TransactWriteCommand({
    TransactItems: [
      { Update: { TableName: 'ttt', Key: { pk: 'C', sk: 'C' }, UpdateExpression: 'SET version = :n', ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': 0, ':n': 1 } } },
      { Put: { TableName: 'ttt', Item: { pk: 'Y', sk: String(i) }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ] }))));
  const summary: Record<string, number> = {};
  for (const r of results) { const k = r.status === 'fulfilled' ? 'ok' : `${(r.reason as any).name}:${JSON.stringify((r.reason as any).CancellationReasons?.map((c: any) => c.Code))}`; summary[k] = (summary[k] ?? 0) + 1; }
  console.log(summary);
  // concurrent same token
  await doc.send(new PutCommand({ TableName: 'ttt', Item: { pk: 'D', sk: 'D', version: 0 } }));
  const r2 = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => doc.send(new TransactWriteCommand({ ClientRequestToken: 'same',
    TransactItems: [
      { Update: { TableName: 'ttt', Key: { pk: 'D', sk: 'D' }, UpdateExpression: 'SET version = :n', ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': 0, ':n': 1 } } },
      { Put: { TableName: 'ttt', Item: { pk: 'Z', sk: String(i % 2) }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ] }))));
  const s2: Record<string, number> = {};
  for (const r of r2) { const k = r.status === 'fulfilled' ? 'ok' : `${(r.reason as any).name}:${JSON.stringify((r.reason as any).CancellationReasons?.map((c: any) => c.Code))}`; s2[k] = (s2[k] ?? 0) + 1; }
  console.log(s2);
} finally { await engine.stop(); }
