import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '#store/client.ts';
import { createConvoyStore } from '#store/convoy-store.ts';
import type { ConvoyStore } from '#store/ports.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.ts';
import { ensureTable } from './ensure-table.ts';
import { createLocalDynamoDbClient } from './local-clients.ts';

/** A simulation's own table, on an engine it started or was given; `close` drops it (and stops that engine). */
export interface ScratchTable {
  endpoint: string;
  tableName: string;
  store: ConvoyStore;
  /** Whether this simulation started DynamoDB Local (in memory) itself. */
  startedEngine: boolean;
  /** Wall milliseconds spent starting the engine and creating the table. */
  openMs: number;
  /** Requests the store sent, and their summed wall time (concurrent requests overlap). */
  requests: { count: number; ms: number };
  close(): Promise<void>;
}

/**
 * A fresh table for one simulation: on the engine given (`endpoint`, else CONVOY_DYNAMODB_ENDPOINT), or
 * on a DynamoDB Local this starts with in-memory storage. Whatever happens, `close` drops the table and
 * stops the engine it started.
 */
export const openScratchTable = async (endpoint?: string): Promise<ScratchTable> => {
  const started = performance.now();
  const given = endpoint ?? process.env.CONVOY_DYNAMODB_ENDPOINT;
  const engine: DynamoDbLocal | undefined = given === undefined ? await startDynamoDbLocal() : undefined;
  const url = given ?? (engine as DynamoDbLocal).endpoint;
  const tableName = `convoy-simulation-${randomUUID().slice(0, 8)}`;
  const client = createLocalDynamoDbClient(url);
  const doc = createDocumentClient({ endpoint: url });
  const requests = { count: 0, ms: 0 };
  doc.middlewareStack.add(
    (next) => async (args) => {
      const sent = performance.now();
      try {
        return await next(args);
      } finally {
        requests.count += 1;
        requests.ms += performance.now() - sent;
      }
    },
    { step: 'initialize', name: 'simulationRequestTiming' },
  );
  const close = async (): Promise<void> => {
    try {
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    } finally {
      client.destroy();
      doc.destroy();
      await engine?.stop();
    }
  };
  try {
    await ensureTable(client, tableName);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    endpoint: url,
    tableName,
    store: createConvoyStore({ doc, tableName }),
    startedEngine: engine !== undefined,
    openMs: performance.now() - started,
    requests,
    close,
  };
};
