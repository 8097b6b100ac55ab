import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '#local/dynamodb-local.ts';
import {
  cliEnv,
  convoy,
  dynamoDbLocalPids,
  isAlive,
  javaChildren,
  killIfAlive,
  startConvoy,
} from './support/convoy-process.ts';

/**
 * `convoy up` starts its own DynamoDB Local (no CONVOY_DYNAMODB_ENDPOINT) and, on Ctrl-C or SIGTERM,
 * stops it: no java process of it survives.
 */
describe('convoy up lifecycle', () => {
  const started: number[] = [];
  const dirs: string[] = [];

  afterAll(async () => {
    for (const pid of started) killIfAlive(pid);
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops DynamoDB Local on %s and leaves no java behind',
    async (signal) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'convoy-lifecycle-'));
      dirs.push(dataDir);
      const port = await freePort();
      const running = await startConvoy(
        ['--in-memory', '--no-demo', '--port', String(port), '--data-dir', dataDir],
        cliEnv(),
      );
      started.push(running.pid);
      const java = javaChildren(running.pid);
      started.push(...java);
      expect(java).toHaveLength(1);
      expect(running.ready.engine).toBe('dynamodb-local');
      expect(running.ready.enginePid).toBe(java[0]);
      expect(dynamoDbLocalPids()).toContain(java[0]);
      console.log(`convoy up (${signal} case) ready in ${running.ready.readyMs} ms`);

      const health = await fetch(`${running.ready.url}/health`);
      expect(health.status).toBe(200);

      const exit = await running.stop(signal);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(isAlive(running.pid)).toBe(false);
      expect(dynamoDbLocalPids()).not.toContain(java[0]);
      expect(isAlive(java[0]!)).toBe(false);
    },
    120_000,
  );

  it('fails with exit 3 and says what to do when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await convoy(['up', '--in-memory', '--no-demo', '--port', String(port)]);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/already in use/);
    } finally {
      blocker.close();
    }
  });
});
