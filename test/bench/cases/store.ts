import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { chainEvent, chainStart, type ChainPosition } from '#domain/audit/event.ts';
import { sha256 } from '#domain/core/json.ts';
import { deploymentId } from '#domain/environments/head.ts';
import { startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { requestToken } from '#store/chain-writer.ts';
import { createDocumentClient } from '#store/client.ts';
import { expr } from '#store/expressions.ts';
import { auditEventItem, deploymentItem, newHeadItem } from '#store/items.ts';
import { itemTypes, keys } from '#store/keys.ts';
import { createTableInput } from '#store/table.ts';
import { TableClient } from '#store/table-client.ts';
import { sample, type BenchCase } from '../bench-case.ts';

const ENV = 'bench';
const WARMUP = 5;

/** The transaction a deploy from `version` sends, built with the store's own item codecs. */
const deployShaped = (
  table: TableClient,
  version: number,
  audit: ChainPosition,
): { input: TransactWriteCommandInput; position: ChainPosition } => {
  const headVersion = version + 1;
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, headVersion)).toISOString();
  const snapshot = sha256(`snapshot-${headVersion}`);
  const event = chainEvent(ENV, audit, {
    type: 'BundleDeployed',
    at,
    actor: 'bench',
    subject: ENV,
    detail: { bundle: `bench-bundle@${headVersion}`, headVersion, snapshot },
  });
  const id = deploymentId(ENV, headVersion);
  const record = {
    id,
    environment: ENV,
    kind: 'deploy' as const,
    headVersion,
    bundle: { name: 'bench-bundle', version: String(headVersion), hash: sha256(`bundle-${headVersion}`) },
    previousSnapshot: sha256(`snapshot-${version}`),
    snapshot,
    principal: 'bench',
    at,
    idempotencyKey: `bench-${headVersion}`,
    sinks: {},
  };
  const absent = expr('attribute_not_exists(#pk)');
  const input: TransactWriteCommandInput = {
    ClientRequestToken: requestToken(table, `${ENV}:bench-${headVersion}`),
    TransactItems: [
      table.updateOp(
        keys.envHead(ENV),
        {
          version: headVersion,
          snapshot,
          deploymentId: id,
          updatedAt: at,
          auditSeq: event.seq,
          auditHash: event.hash,
        },
        expr('#version = :version AND #auditSeq = :auditSeq', { version, auditSeq: audit.seq }),
      ),
      table.putOp(deploymentItem(record, event.seq), absent),
      table.putOp(auditEventItem(event), absent),
      table.putOp(
        { ...keys.idempotency(ENV, record.idempotencyKey), type: itemTypes.idempotency, deploymentId: id },
        absent,
      ),
    ],
  };
  return { input, position: { seq: event.seq, hash: event.hash } };
};

/**
 * The floor under an HTTP deploy: per-call latency (ms) of a bare TransactWriteItems with the items a
 * deploy writes (conditional HEAD update, deployment record, audit event, idempotency entry). With
 * `endpoint` it uses that engine (so an HTTP deploy bench can compare like with like); otherwise it
 * starts its own DynamoDB Local and stops it afterwards.
 */
export const measureBareTransactWrite = async (options: { endpoint?: string; samples?: number } = {}) => {
  const samples = options.samples ?? 200;
  const engine = options.endpoint === undefined ? await startDynamoDbLocal() : undefined;
  const endpoint = options.endpoint ?? engine?.endpoint ?? '';
  const doc = createDocumentClient({ endpoint });
  const tableName = `bench-${randomUUID().slice(0, 8)}`;
  try {
    await doc.send(new CreateTableCommand(createTableInput(tableName)));
    const table = new TableClient({ doc, tableName });
    await doc.send(new PutCommand({ TableName: tableName, Item: newHeadItem(ENV, sha256('snapshot-0')) }));
    const inputs: TransactWriteCommandInput[] = [];
    let audit = chainStart;
    for (let version = 0; version < samples + WARMUP; version += 1) {
      const { input, position } = deployShaped(table, version, audit);
      inputs.push(input);
      audit = position;
    }
    let next = 0;
    return await sample(
      async () => {
        const input = inputs[next++];
        if (!input) throw new Error('ran out of prepared transactions');
        await doc.send(new TransactWriteCommand(input));
      },
      samples,
      WARMUP,
    );
  } finally {
    await doc.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    doc.destroy();
    await engine?.stop();
  }
};

export const cases: BenchCase[] = [
  {
    name: 'bare TransactWriteItems (deploy-shaped items)',
    target: 'reference for the HTTP deploy round trip (ratio)',
    run: () => measureBareTransactWrite(),
  },
];
