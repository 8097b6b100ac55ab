import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '#local/dynamodb-local.ts';
import { cliEnv, killIfAlive, startConvoy } from '../e2e/support/convoy-process.ts';
import { call, engineOf, waitForHealth } from '../e2e/support/engine-probes.ts';

/**
 * Symptom (issue 10, item 5): when DynamoDB Local died under `convoy up`, every request answered 503
 * until someone restarted Convoy by hand.
 */
describe('regression: engine death left the API answering 503 forever', () => {
  const pids: number[] = [];
  let dataDir: string | undefined;

  afterAll(async () => {
    for (const pid of pids) killIfAlive(pid);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('serves again by itself after the engine is killed', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'convoy-503-forever-'));
    const running = await startConvoy(
      ['--no-demo', '--port', String(await freePort()), '--data-dir', dataDir],
      cliEnv(),
    );
    pids.push(running.pid);
    try {
      const java = engineOf(running.pid);
      pids.push(java);
      process.kill(java, 'SIGKILL');
      await waitForHealth(running.ready.url, (p) => p.body.status === 'degraded');
      await waitForHealth(running.ready.url, (p) => p.status === 200 && p.body.status === 'ok');
      pids.push(engineOf(running.pid));
      // No catalog yet (--no-demo): a 404 from the handler, not a 503 from a dead engine.
      expect((await call(running.ready.url, 'GET', '/catalog')).status).toBe(404);
    } finally {
      await running.stop('SIGTERM');
    }
  }, 90_000);
});
