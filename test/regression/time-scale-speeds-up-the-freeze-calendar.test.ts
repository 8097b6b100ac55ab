import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { freePort } from '#local/dynamodb-local.ts';
import { cliEnv, killIfAlive, startConvoy, type RunningConvoy } from '../e2e/support/convoy-process.ts';
import { sessionTtl } from '../fixtures/bundles.ts';
import { fixtureCatalogYaml } from '../support/api.ts';
import { cli } from '../integration/cli/support.ts';

/**
 * Issue 10, item 9: `convoy up --time-scale N` installed the scaled workflow clock as the handlers'
 * deps.now, so the API's clock ran N× fast too: a freeze added with `--start now` was not in force
 * (the API was already hours past it) and a deploy into it succeeded. Only workflow time is scaled now.
 */
let dir: string;
let running: RunningConvoy | undefined;
const convoy = (...args: string[]) => cli(...args, '--api', running?.ready.url ?? '', '--as', 'olivia');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convoy-scaled-freeze-'));
  running = await startConvoy(
    [
      '--in-memory',
      '--no-demo',
      '--port',
      String(await freePort()),
      '--data-dir',
      dir,
      '--time-scale',
      '600',
    ],
    cliEnv({
      CONVOY_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      CONVOY_TABLE_NAME: `scaled-freeze-${randomUUID().slice(0, 8)}`,
    }),
  );
  const catalog = join(dir, 'catalog.yaml');
  await writeFile(catalog, fixtureCatalogYaml);
  expect((await convoy('catalog', 'apply', catalog)).code).toBe(0);
  const bundle = join(dir, 'bundle.json');
  await writeFile(bundle, JSON.stringify(sessionTtl));
  expect((await convoy('bundle', 'push', bundle)).code).toBe(0);
}, 120_000);

afterAll(async () => {
  if (running) {
    await running.stop('SIGTERM');
    killIfAlive(running.pid);
  }
  await rm(dir, { recursive: true, force: true });
});

it('a freeze added with --start now under --time-scale 600 refuses a deploy (423)', async () => {
  const added = await convoy(
    ...['freeze', 'add', '--name', 'Incident', '--env', 'dev', '--start', 'now', '--duration', 'PT5M'],
  );
  expect(added.code, added.stderr).toBe(0);
  // "now" is the next whole second of the calendar; at 600× the 5 minutes would be over in 0.5 s.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const deploy = await convoy('deploy', `${sessionTtl.name}@${sessionTtl.version}`, '--env', 'dev', '--json');
  expect(deploy.code).toBe(1);
  expect(deploy.json.error).toMatchObject({ status: 423 });
});
