import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PRINCIPAL_HEADER } from '#api/client.ts';
import { freePort } from '#local/dynamodb-local.ts';
import { cliEnv, convoy, killIfAlive, startConvoy, type RunningConvoy } from './support/convoy-process.ts';

interface EnvironmentStatus {
  name: string;
  head: { version: number };
  bundles: string[];
  services: { service: string; version: string }[];
}

const status = async (api: string): Promise<EnvironmentStatus[]> => {
  const result = await convoy(['status', '--json', '--api', api]);
  expect(result.code, result.stderr).toBe(0);
  return result.json.environments as EnvironmentStatus[];
};

const read = async <T>(api: string, path: string): Promise<T> => {
  const res = await fetch(`${api}${path}`, { headers: { [PRINCIPAL_HEADER]: 'olivia' } });
  return (await res.json()) as T;
};
type Split = { variant: string; weight: number }[];

/**
 * The demo's flag rollout as the workflow leaves it once its first step landed: running, its first
 * phase baking, payments.checkout.newFlow served `on` to 25% in dev (250 of 1000 buckets). After a
 * restart it is paused where it was (the runtime pauses the rollouts whose execution it lost).
 */
const rampedTo25 = async (api: string, status = 'running'): Promise<void> => {
  const state = async () => {
    const rollout = await read<{ status: string; phases: { status: string }[] }>(
      api,
      '/rollouts/ro-new-flow-dev',
    );
    const { flag } = await read<{ flag: { rules: { rollout?: { split: Split } }[] } }>(
      api,
      '/environments/dev/flags/payments.checkout.newFlow',
    );
    const rule = flag.rules.find((r) => r.rollout !== undefined);
    return { status: rollout.status, phase: rollout.phases[0]?.status, split: rule?.rollout?.split };
  };
  await expect.poll(state, { timeout: 30_000, interval: 250 }).toEqual({
    status,
    phase: 'baking',
    split: [
      { variant: 'on', weight: 250 },
      { variant: 'off', weight: 750 },
    ],
  });
};
interface ReleaseStatus {
  signoffs: { teams: { team: string; state: string }[]; approval: { state: string } };
}

/** `npm start`'s path: convoy up with the demo data seeded through the API. */
describe('convoy up with the demo data', () => {
  const pids: number[] = [];
  const dirs: string[] = [];

  afterAll(async () => {
    for (const pid of pids) killIfAlive(pid);
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const start = async (args: string[]): Promise<RunningConvoy> => {
    const running = await startConvoy([...args, '--port', String(await freePort())], cliEnv());
    pids.push(running.pid, ...(running.ready.enginePid === undefined ? [] : [running.ready.enginePid]));
    return running;
  };

  it('seeds the demo in memory: bundles deployed along the promotion path', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'convoy-demo-'));
    dirs.push(dataDir);
    const running = await start(['--in-memory', '--data-dir', dataDir]);
    try {
      // Measured, never asserted: the bar is 10 s on the reference machine.
      const phases = JSON.stringify(running.ready.phases);
      console.log(
        `convoy up --in-memory with demo data: ready in ${running.ready.readyMs} ms; phases ${phases}`,
      );
      expect(running.ready.seed).toMatchObject({
        catalog: 'applied',
        freezes: 2,
        kills: 1,
        rollouts: 1,
        releases: 3,
        skipped: 0,
      });
      const environments = await status(running.ready.url);
      expect(environments.map((e) => e.name)).toEqual(['dev', 'staging', 'prod-eu', 'prod-us']);
      const dev = environments[0]!;
      expect(dev.bundles).toEqual(
        expect.arrayContaining(['identity-session@2', 'checkout-timeouts@3', 'search-ranking@5']),
      );
      expect(dev.head.version).toBeGreaterThan(0);
      expect(environments.every((e) => e.bundles.includes('identity-session@2'))).toBe(true);
      expect(environments.every((e) => e.services.length === 3)).toBe(true);
      const verified = await convoy(['audit', 'verify', '--json', '--api', running.ready.url]);
      expect(verified.code).toBe(0);
      const api = ['--json', '--api', running.ready.url];
      const express = await convoy([
        'flag',
        'evaluate',
        'payments.checkout.expressPay',
        '--env',
        'prod-us',
        ...api,
      ]);
      expect(JSON.parse(express.stdout)).toMatchObject({
        variant: 'off',
        reason: 'REQUIREMENT_UNMET',
        unmet: [{ service: 'checkout-api', range: '>=2.3.0', running: '2.2.9' }],
      });
      const passkey = await convoy([
        'flag',
        'evaluate',
        'identity.mfa.passkeyPrompt',
        '--env',
        'prod-eu',
        ...api,
      ]);
      expect(JSON.parse(passkey.stdout)).toMatchObject({ variant: 'off', reason: 'DISABLED' });
      // One flag mid-rollout: the demo's flag rollout runs, at its first percent.
      await rampedTo25(running.ready.url);
      // One release in progress across the three teams, partly signed off.
      const release = await convoy(['release', 'status', '2026.12-R1', ...api]);
      expect(release.code, release.stderr).toBe(0);
      const signoffs = (release.json as ReleaseStatus).signoffs;
      expect(signoffs.teams.map((t) => `${t.team} ${t.state}`)).toEqual([
        'identity signed',
        'payments signed',
        'search missing',
      ]);
      expect(signoffs.approval.state).toBe('missing');
      expect(release.json).toMatchObject({ manifest: { owner: 'olivia', targetDate: '2026-12-17' } });
      const text = await convoy(['release', 'status', '2026.12-R1', '--api', running.ready.url]);
      expect(text.stdout).toMatch(/team identity\s+✓ signed\s+by ivan/);
      expect(text.stdout).toMatch(/team search\s+✗ missing/);
      expect(text.stdout).toContain('Not ready:');
    } finally {
      await running.stop('SIGTERM');
    }
  }, 180_000);

  it('skips what exists when restarted on persisted data', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'convoy-demo-persisted-'));
    dirs.push(dataDir);
    const first = await start(['--data-dir', dataDir]);
    // The rollout's first step is the workflow's: wait for it, so HEADs stand still for the comparison.
    await rampedTo25(first.ready.url);
    const before = await status(first.ready.url);
    await first.stop('SIGTERM');

    const second = await start(['--data-dir', dataDir]);
    try {
      expect(second.ready.seed).toMatchObject({
        catalog: 'present',
        services: 0,
        bundles: 0,
        deployments: 0,
        freezes: 0,
        kills: 0,
        rollouts: 0,
        releases: 0,
      });
      expect(await status(second.ready.url)).toEqual(before);
      // Not started again: the one rollout is where it was, paused by the restart (resume carries on).
      expect((await read<{ rollouts: unknown[] }>(second.ready.url, '/rollouts')).rollouts).toHaveLength(1);
      await rampedTo25(second.ready.url, 'paused');
    } finally {
      await second.stop('SIGTERM');
    }
  }, 240_000);
});
