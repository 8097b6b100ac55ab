import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '#local/dynamodb-local.ts';
import { cliEnv, convoy, killIfAlive, startConvoy, type RunningConvoy } from './support/convoy-process.ts';

/**
 * `convoy up --clock`: the embedded runtime's clock starts at a given instant and runs at real speed,
 * and the CLI's "now" is the server's. Here: Saturday 19 December 2026, inside the demo's year-end
 * freeze and its weekend freeze, whatever today is.
 */
const SATURDAY = '2026-12-19T11:00:00Z';

describe('convoy up --clock', () => {
  const endpoint = inject('dynamoEndpoint');
  let dataDir: string;
  let running: RunningConvoy | undefined;
  const olivia = (...args: string[]) =>
    convoy([...args, '--json', '--api', running?.ready.url ?? '', '--as', 'olivia']);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'convoy-e2e-clock-'));
    running = await startConvoy(
      [
        '--clock',
        SATURDAY,
        '--in-memory',
        '--no-demo',
        '--port',
        String(await freePort()),
        '--data-dir',
        dataDir,
      ],
      cliEnv({
        CONVOY_DYNAMODB_ENDPOINT: endpoint,
        CONVOY_TABLE_NAME: `e2e-clock-${randomUUID().slice(0, 8)}`,
      }),
    );
    for (const step of [
      ['catalog', 'apply', 'examples/catalog.yaml'],
      ['freeze', 'add', 'examples/freezes.yaml'],
    ]) {
      const result = await olivia(...step);
      expect(result.code, result.stderr).toBe(0);
    }
  }, 120_000);

  afterAll(async () => {
    if (running) {
      await running.stop('SIGTERM');
      killIfAlive(running.pid);
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports the pinned instant when ready, and /health tells the same clock', async () => {
    const ready = Date.parse(String(running?.ready.now));
    expect(ready - Date.parse(SATURDAY)).toBeGreaterThanOrEqual(0);
    expect(ready - Date.parse(SATURDAY)).toBeLessThan(60_000);
    const health = (await (await fetch(`${running?.ready.url}/health`)).json()) as { now: string };
    expect(Date.parse(health.now) - Date.parse(SATURDAY)).toBeLessThan(120_000);
  });

  it('freezes prod by the pinned date: the year-end window (hard) and the weekend window', async () => {
    const status = await olivia('freeze', 'status', '--env', 'prod-eu', '--kind', 'deploy');
    expect(status.code, status.stderr).toBe(0);
    expect(status.json).toMatchObject({ frozen: true, level: 'hard' });
    expect((status.json.windows as { id: string }[]).map((w) => w.id)).toEqual([
      'year-end-freeze',
      'weekend-freeze',
    ]);
    const staging = await olivia('freeze', 'status', '--env', 'staging', '--kind', 'deploy');
    expect(staging.json).toMatchObject({ frozen: false });
  });

  it('reads "now" from the server: a window added with --start now starts at the pinned time', async () => {
    const added = await olivia(
      'freeze',
      'add',
      '--name',
      'Incident',
      '--env',
      'dev',
      '--start',
      'now',
      '--duration',
      'PT1H',
    );
    expect(added.code, added.stderr).toBe(0);
    const listed = await olivia('freeze', 'list');
    const incident = (listed.json.windows as { id: string; schedule: { start: string } }[]).find(
      (w) => w.id === 'incident',
    );
    const start = Date.parse(String(incident?.schedule.start));
    expect(start - Date.parse(SATURDAY)).toBeGreaterThanOrEqual(0);
    expect(start - Date.parse(SATURDAY)).toBeLessThan(120_000);
  });

  it('refuses a malformed --clock with exit 2 before starting anything', async () => {
    const run = await convoy(['up', '--clock', 'next saturday'], cliEnv());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('must be an ISO 8601 instant with Z or an offset');
  });
});
