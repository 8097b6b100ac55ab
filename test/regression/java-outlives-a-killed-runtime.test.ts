import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '#local/dynamodb-local.ts';
import { cliEnv, dynamoDbLocalPids, killIfAlive, startConvoy } from '../e2e/support/convoy-process.ts';
import { engineOf, gone } from '../e2e/support/engine-probes.ts';

/**
 * Symptom (issue 10, item 5): `kill -9` of `convoy up` left its java child running, holding the data
 * folder, so the next `convoy up` on that folder fought a ghost engine.
 */
describe('regression: java outlived a runtime killed with SIGKILL', () => {
  const pids: number[] = [];
  let dataDir: string | undefined;

  afterAll(async () => {
    for (const pid of pids) killIfAlive(pid);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('takes DynamoDB Local down with it within a few seconds', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'convoy-java-orphan-'));
    const running = await startConvoy(
      ['--no-demo', '--port', String(await freePort()), '--data-dir', dataDir],
      cliEnv(),
    );
    const java = engineOf(running.pid);
    pids.push(running.pid, java);
    expect(await running.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await gone(java, 5000)).toBe(true);
    expect(dynamoDbLocalPids()).not.toContain(java);
  }, 90_000);
});
