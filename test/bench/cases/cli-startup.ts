import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { depsFromEnvironment } from '#functions/shared/lambda-deps.ts';
import { startApiServer } from '#local/api-server.ts';
import { startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { ensureTable } from '#local/ensure-table.ts';
import { createLocalDynamoDbClient } from '#local/local-clients.ts';
import type { BenchCase } from '../bench-case.ts';

/**
 * Issue 9 §9: `convoy --version` and `convoy status` (against a running API) start at most 150 ms
 * slower than `node -e 0`, median on the same machine. Each run is a fresh `node` process, spawned
 * asynchronously (the embedded API in this process answers `status` meanwhile); the commands take
 * turns, so a slow moment of the machine falls on all of them alike. `cold`: with Node's compile cache
 * off (NODE_DISABLE_COMPILE_CACHE=1), as the first run after an edit or a fresh clone is: every module
 * type-stripped and compiled again.
 */
const RUNS = 11;
const WARMUP = 2;
const BUDGET_MS = 150;

const run = promisify(execFile);
const cliPath = fileURLToPath(new URL('../../../bin/convoy-cli.ts', import.meta.url));
const catalogYaml = readFileSync(new URL('../../../examples/catalog.yaml', import.meta.url), 'utf8');

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const SERIES = ['node', 'version', 'status', 'versionCold', 'statusCold'] as const;
type Series = (typeof SERIES)[number];
type StartupSamples = Record<Series, number[]>;

const timed = async (args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> => {
  const start = performance.now();
  await run(process.execPath, [...args], { env });
  return performance.now() - start;
};

const measure = async (): Promise<StartupSamples> => {
  const engine = await startDynamoDbLocal();
  const table = 'bench-cli-startup';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  // The handlers as a Lambda configured for this engine and table would build them.
  const deps = depsFromEnvironment({ CONVOY_DYNAMODB_ENDPOINT: engine.endpoint, CONVOY_TABLE_NAME: table });
  const client = createLocalDynamoDbClient(engine.endpoint);
  const server = await startApiServer({ port: 0, deps: () => deps }).catch(async (error: unknown) => {
    client.destroy();
    await engine.stop();
    throw error;
  });
  try {
    await ensureTable(client, table);
    const applied = await fetch(`${server.url}/catalog`, {
      method: 'PUT',
      headers: { 'content-type': 'application/yaml', 'x-convoy-principal': 'olivia' },
      body: catalogYaml,
    });
    if (!applied.ok) throw new Error(`catalog apply: ${applied.status} ${await applied.text()}`);
    const env = { ...process.env, CONVOY_API_URL: server.url, CONVOY_PRINCIPAL: 'olivia', NO_COLOR: '1' };
    const status = await run(process.execPath, [cliPath, 'status'], { env });
    if (!status.stdout.includes('HEAD')) throw new Error(`convoy status printed: ${status.stdout}`);
    const cold = { ...env, NODE_DISABLE_COMPILE_CACHE: '1' };
    const commands: Record<Series, [readonly string[], NodeJS.ProcessEnv]> = {
      node: [['-e', '0'], env],
      version: [[cliPath, '--version'], env],
      status: [[cliPath, 'status'], env],
      versionCold: [[cliPath, '--version'], cold],
      statusCold: [[cliPath, 'status'], cold],
    };
    const samples: StartupSamples = { node: [], version: [], status: [], versionCold: [], statusCold: [] };
    for (let i = 0; i < WARMUP + RUNS; i += 1) {
      for (const series of SERIES) {
        const [args, runEnv] = commands[series];
        const ms = await timed(args, runEnv);
        if (i >= WARMUP) samples[series].push(ms);
      }
    }
    return samples;
  } finally {
    await server.close();
    client.destroy();
    await engine.stop();
  }
};

let measured: Promise<StartupSamples> | undefined;
/** One measurement for the three cases below (whichever of them runs first takes it). */
const samples = (): Promise<StartupSamples> => (measured ??= measure());

const overFloor = async (key: Exclude<Series, 'node'>) => {
  const all = await samples();
  const floor = median(all.node);
  const own = median(all[key]);
  return {
    samples: all[key],
    met: own - floor <= BUDGET_MS,
    notes: {
      'node -e 0 median ms': Number(floor.toFixed(1)),
      'over node -e 0 (median ms)': Number((own - floor).toFixed(1)),
      'ratio (median / node -e 0)': Number((own / floor).toFixed(2)),
    },
  };
};

export const cases: BenchCase[] = [
  {
    name: 'CLI start-up: node -e 0 (the floor)',
    target: 'the floor the CLI is measured against',
    run: async () => (await samples()).node,
  },
  {
    name: 'CLI start-up: convoy --version',
    target: `median <= node -e 0 + ${BUDGET_MS} ms (issue 9 §9)`,
    run: () => overFloor('version'),
  },
  {
    name: 'CLI start-up: convoy status (embedded API)',
    target: `median <= node -e 0 + ${BUDGET_MS} ms (issue 9 §9)`,
    run: () => overFloor('status'),
  },
  {
    name: 'CLI start-up: convoy --version, cold (no compile cache)',
    target: `median <= node -e 0 + ${BUDGET_MS} ms`,
    run: () => overFloor('versionCold'),
  },
  {
    name: 'CLI start-up: convoy status, cold (no compile cache)',
    target: `median <= node -e 0 + ${BUDGET_MS} ms`,
    run: () => overFloor('statusCold'),
  },
];
