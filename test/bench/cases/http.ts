import { readFileSync } from 'node:fs';
import { startApiServer } from '#local/api-server.ts';
import { startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { ensureTable } from '#local/ensure-table.ts';
import { createLocalDynamoDbClient } from '#local/local-clients.ts';
import { depsFromEnvironment } from '#functions/shared/lambda-deps.ts';
import type { BenchCase } from '../bench-case.ts';
import { measureBareTransactWrite } from './store.ts';

const DEPLOYS = 150;
const catalogYaml = readFileSync(new URL('../../fixtures/catalog.yaml', import.meta.url), 'utf8');
const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

/**
 * A deploy as a client sees it: HTTP → API Gateway v2 event → middy handler → validation → snapshot
 * write → one TransactWriteItems, on DynamoDB Local. Beside it, a bare TransactWriteItems with the
 * same items on the same engine, so the ratio shows what Convoy adds over the floor.
 */
const deployRoundTrip = async () => {
  const engine = await startDynamoDbLocal();
  const table = 'bench-http';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  // The handlers as a Lambda configured for this engine and table would build them.
  const deps = depsFromEnvironment({ CONVOY_DYNAMODB_ENDPOINT: engine.endpoint, CONVOY_TABLE_NAME: table });
  const client = createLocalDynamoDbClient(engine.endpoint);
  await ensureTable(client, table);
  const server = await startApiServer({ port: 0, deps: () => deps });
  const call = async (method: string, path: string, body: string, type = 'application/json') => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': type, 'x-convoy-principal': 'olivia' },
      body,
    });
    if (res.status >= 300)
      throw new Error(`${method} ${path}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  };
  try {
    await call('PUT', '/catalog', catalogYaml, 'application/yaml');
    for (let i = 0; i < DEPLOYS; i += 1) {
      const bundle = {
        name: `timeout-${i}`,
        version: '1',
        release: `bench-${i}`,
        team: 'payments',
        changes: [{ set: 'payments.checkout.timeoutMs', value: 1000 + i }],
      };
      await call('POST', '/bundles', JSON.stringify(bundle));
    }
    const samples: number[] = [];
    for (let i = 0; i < DEPLOYS; i += 1) {
      const start = performance.now();
      await call('POST', '/environments/dev/deployments', JSON.stringify({ bundle: `timeout-${i}@1` }));
      samples.push(performance.now() - start);
    }
    const measured = samples.slice(5);
    const bare = await measureBareTransactWrite({ endpoint: engine.endpoint, samples: 200 });
    return {
      samples: measured,
      notes: {
        'bare TransactWriteItems p50 ms': Number(quantile(bare, 0.5).toFixed(3)),
        'bare TransactWriteItems p95 ms': Number(quantile(bare, 0.95).toFixed(3)),
        'ratio p50 (HTTP deploy / bare)': Number((quantile(measured, 0.5) / quantile(bare, 0.5)).toFixed(2)),
        'ratio p95 (HTTP deploy / bare)': Number(
          (quantile(measured, 0.95) / quantile(bare, 0.95)).toFixed(2),
        ),
      },
    };
  } finally {
    await server.close();
    client.destroy();
    await engine.stop();
  }
};

export const cases: BenchCase[] = [
  {
    name: 'deploy round trip over HTTP to DynamoDB Local',
    target: 'report p50/p95 beside a bare TransactWriteItems (ratio)',
    run: deployRoundTrip,
  },
];
