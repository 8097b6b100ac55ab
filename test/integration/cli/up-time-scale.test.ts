import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '#local/dynamodb-local.ts';
import {
  cliEnv,
  killIfAlive,
  projectRoot,
  startConvoy,
  type RunningConvoy,
} from '../../e2e/support/convoy-process.ts';
import { checkoutTimeouts, sessionTtl } from '../../fixtures/bundles.ts';
import { fixtureCatalogYaml } from '../../support/api.ts';
import { cli } from './support.ts';

/**
 * `convoy up --time-scale 600` on the run's DynamoDB Local, driven through the CLI: a whole rollout
 * (the real ASL and handlers) in about a second of wall time, then one rolled back by `convoy alarm`.
 * Only workflow time is scaled: the workflow's events span the strategy's bakes, while the API's clock
 * (freezes, reports, audit) stays on the calendar, so a freeze added `--start now` is in force at once.
 */
const SCALE = 600;
const BAKE_MS = 5 * 60_000;
const quick = {
  name: 'quick',
  phases: [
    { name: 'dev', environments: ['dev'], bake: 'PT5M' },
    { name: 'prod-canary', environments: ['prod-eu'], bake: 'PT5M' },
  ],
  health: { alarms: ['{env}-5xx-rate'], interval: 'PT1M' },
};

describe('convoy up --time-scale', () => {
  const endpoint = inject('dynamoEndpoint');
  let dir: string;
  let running: RunningConvoy | undefined;
  const convoy = (...args: string[]) => cli(...args, '--api', running?.ready.url ?? '', '--as', 'olivia');
  const ok = async (...args: string[]) => {
    const run = await convoy(...args);
    expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
    return run;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'convoy-time-scale-'));
    const port = await freePort();
    running = await startConvoy(
      ['--in-memory', '--no-demo', '--port', String(port), '--data-dir', dir, '--time-scale', String(SCALE)],
      cliEnv({
        CONVOY_DYNAMODB_ENDPOINT: endpoint,
        CONVOY_TABLE_NAME: `cli-scale-${randomUUID().slice(0, 8)}`,
      }),
    );
    const catalog = join(dir, 'catalog.yaml');
    await writeFile(catalog, `${fixtureCatalogYaml.trimEnd()}\nstrategies:\n  - ${JSON.stringify(quick)}\n`);
    await ok('catalog', 'apply', catalog);
    for (const env of ['dev', 'prod-eu'])
      await ok('service', 'report', 'checkout-api', '2.4.0', '--env', env);
    for (const bundle of [checkoutTimeouts, sessionTtl]) {
      const path = join(dir, `${bundle.name}.json`);
      await writeFile(path, JSON.stringify(bundle));
      await ok('bundle', 'push', path);
    }
  }, 120_000);

  afterAll(async () => {
    if (running) {
      await running.stop('SIGTERM');
      killIfAlive(running.pid);
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('reports the scale when ready', () => {
    expect(running?.ready.timeScale).toBe(SCALE);
  });

  it('runs a whole rollout at the scale, its events spanning the bakes by the workflow’s clock', async () => {
    await ok('alarm', 'set', 'dev-5xx-rate', 'OK');
    await ok('alarm', 'set', 'prod-eu-5xx-rate', 'OK');
    const { json: started } = await ok(
      'rollout',
      'start',
      'checkout-timeouts@3',
      '--strategy',
      'quick',
      '--json',
    );
    const watched = await convoy('rollout', 'watch', started.id, '--interval-ms', '50');
    expect(watched.code, watched.stdout + watched.stderr).toBe(0);
    expect(watched.stdout).toMatch(/✓ prod-canary +prod-eu +\[█+\] +baked/);

    const { json: view } = await ok('rollout', 'status', started.id, '--json');
    expect(view.status).toBe('succeeded');
    const deployed = view.phases.map((p: { deployedAt: string }) => Date.parse(p.deployedAt));
    // The second phase deployed after the first one baked 5 minutes of workflow time.
    expect(deployed[1] - deployed[0]).toBeGreaterThanOrEqual(BAKE_MS);
    expect(Date.parse(view.endedAt) - Date.parse(view.startedAt)).toBeGreaterThanOrEqual(2 * BAKE_MS);
  });

  it('keeps the API on the calendar: a freeze added with --start now refuses a deploy (423)', async () => {
    const added = await ok(
      'freeze',
      'add',
      '--name',
      'Scaled incident',
      '--env',
      'dev',
      '--start',
      'now',
      '--duration',
      'PT5M',
      '--json',
    );
    expect(added.json.windows).toEqual([expect.objectContaining({ id: 'scaled-incident', created: true })]);
    // "now" is the next whole second of the calendar; 5 minutes of workflow time would be over in 0.5 s.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const refused = await convoy('deploy', 'identity-session@2', '--env', 'dev', '--json');
    expect(refused.code).toBe(1);
    expect(refused.json.error).toMatchObject({ status: 423 });
    const { json: status } = await ok('freeze', 'status', '--env', 'dev', '--json');
    expect(JSON.stringify(status)).toContain('scaled-incident');
    await ok('freeze', 'remove', 'scaled-incident');
  });

  it('rolls back when `convoy alarm set` fires an alarm of the current phase', async () => {
    await ok('alarm', 'set', 'dev-5xx-rate', 'OK');
    await ok('alarm', 'set', 'prod-eu-5xx-rate', 'ALARM');
    const { json: started } = await ok(
      'rollout',
      'start',
      'identity-session@2',
      '--strategy',
      'quick',
      '--json',
    );
    const watched = await convoy('rollout', 'watch', started.id, '--interval-ms', '50');
    expect(watched.code).toBe(1);
    const { json: view } = await ok('rollout', 'status', started.id, '--json');
    expect(view.status).toBe('rolled-back');
    expect(view.reason).toMatch(/prod-eu-5xx-rate/);
    expect(view.phases.map((p: { status: string }) => p.status)).toEqual(['rolled-back', 'rolled-back']);
  });
});

describe('convoy up --time-scale for people', () => {
  it.each(['0', '-2', '20000', 'fast'])(
    'refuses --time-scale %s with exit 2 before starting anything',
    async (scale) => {
      const run = await cli('up', '--time-scale', scale);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('must be a number > 0 and ≤ 10000');
    },
  );

  it('prints the scale in the ready line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convoy-time-scale-human-'));
    const child = spawn(
      process.execPath,
      [
        'bin/convoy-cli.ts',
        'up',
        '--in-memory',
        '--no-demo',
        '--port',
        '0',
        '--data-dir',
        dir,
        '--time-scale',
        '60',
      ],
      {
        cwd: projectRoot,
        env: cliEnv({
          CONVOY_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
          CONVOY_TABLE_NAME: `cli-scale-${randomUUID().slice(0, 8)}`,
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          const ready = out.split('\n').find((l) => l.startsWith('Convoy is ready at'));
          if (ready) resolve(ready);
        });
        child.once('exit', (code) => {
          reject(new Error(`exited ${String(code)}: ${out}`));
        });
      });
      expect(line).toMatch(/^Convoy is ready at http:\/\/localhost:\d+ \(\d+\.\d s, workflow time ×60\)$/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
      killIfAlive(child.pid);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
