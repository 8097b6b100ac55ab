import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#local/dynamodb-local.ts';
import {
  cliEnv,
  dynamoDbLocalPids,
  killIfAlive,
  startConvoy,
  type RunningConvoy,
} from './support/convoy-process.ts';
import { call, engineOf, gone, waitForHealth } from './support/engine-probes.ts';

/**
 * Issue 10, item 5: `convoy up` supervises its DynamoDB Local. A dead engine is restarted on the same
 * data and port while /health says degraded; acknowledged deploys survive a `kill -9` of the engine;
 * and the engine never outlives a runtime killed with SIGKILL.
 */
describe('the embedded engine is supervised', () => {
  const pids: number[] = [];
  const dirs: string[] = [];
  let running: RunningConvoy;
  let url: string;

  const deploy = () =>
    call(url, 'POST', '/environments/staging/deployments', { bundle: 'checkout-timeouts@3' });
  const rollback = () => call(url, 'POST', '/environments/staging/rollback', {});
  const deploymentIds = async (): Promise<string[]> => {
    const listed = await call(url, 'GET', '/environments/staging/deployments?limit=100');
    expect(listed.status).toBe(200);
    return (listed.json.deployments as { id: string }[]).map((d) => d.id);
  };

  beforeAll(async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'convoy-supervised-'));
    dirs.push(dataDir);
    running = await startConvoy(['--port', String(await freePort()), '--data-dir', dataDir], cliEnv());
    pids.push(running.pid, engineOf(running.pid));
    url = running.ready.url;
  }, 120_000);

  afterAll(async () => {
    await running.stop('SIGTERM').catch(() => undefined);
    for (const pid of pids) killIfAlive(pid);
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('restarts a killed engine on the same data: degraded, then ok, then deploys again', async () => {
    const before = await deploy();
    expect(before.status, JSON.stringify(before.json)).toBe(201);
    const java = engineOf(running.pid);

    process.kill(java, 'SIGKILL');
    const probes = await waitForHealth(url, (p) => p.status === 200 && p.body.status === 'ok');
    const degraded = probes.find((p) => p.body.status === 'degraded');
    expect(degraded, JSON.stringify(probes.slice(0, 3))).toMatchObject({
      status: 503,
      body: {
        status: 'degraded',
        runtime: { degraded: true, ready: false, accepting: false, engine: 'dynamodb-local' },
      },
    });
    const back = probes.at(-1)!;
    expect(back.body.runtime).toMatchObject({ ready: true, degraded: false, engineRestarts: 1 });

    const restarted = engineOf(running.pid);
    pids.push(restarted);
    expect(restarted).not.toBe(java);
    expect(dynamoDbLocalPids()).not.toContain(java);
    expect(running.stderr()).toMatch(
      new RegExp(`DynamoDB Local \\(pid ${java}\\) was killed by SIGKILL; restarting it in \\d+ ms on port`),
    );
    expect(running.stderr()).toMatch(/DynamoDB Local is back/);

    // The data written before the kill is there, and the API writes again.
    expect(await deploymentIds()).toContain(before.json.deploymentId);
    const auditedBefore = running.lines().filter((line) => 'audit' in line).length;
    expect((await rollback()).status).toBe(201);
    const after = await deploy();
    expect(after.status, JSON.stringify(after.json)).toBe(201);
    expect(after.json.head.version).toBeGreaterThan(before.json.head.version);
    // The audit relay follows the restarted engine's stream: the new changes reach the console.
    const audited = () => running.lines().filter((line) => 'audit' in line).length;
    await expect.poll(audited, { timeout: 10_000 }).toBeGreaterThanOrEqual(auditedBefore + 2);
    expect(running.stderr()).not.toMatch(/audit relay:/);
  }, 90_000);

  it('keeps every acknowledged deploy when the engine is killed right after the answer', async () => {
    const acknowledged: { id: string; version: number }[] = [];
    const java = engineOf(running.pid);
    pids.push(java);
    for (let round = 0; round < 4; round += 1) {
      expect((await rollback()).status).toBe(201);
      const deployed = await deploy();
      // kill -9 the moment the last 201 arrives: before the fix, such a deploy was gone after the restart.
      if (round === 3) process.kill(java, 'SIGKILL');
      expect(deployed.status, JSON.stringify(deployed.json)).toBe(201);
      acknowledged.push({ id: deployed.json.deploymentId, version: deployed.json.head.version });
    }
    await waitForHealth(url, (p) => p.status === 200 && p.body.status === 'ok');
    pids.push(engineOf(running.pid));

    const ids = await deploymentIds();
    for (const { id } of acknowledged) expect(ids).toContain(id);
    const config = await call(url, 'GET', '/environments');
    const staging = (config.json.environments as { name: string; head: { version: number } }[]).find(
      (e) => e.name === 'staging',
    );
    expect(staging?.head.version).toBe(acknowledged.at(-1)!.version);
    // No deployment id is handed out twice: the next change gets a new one.
    expect((await rollback()).status).toBe(201);
    const next = await deploy();
    expect(next.status).toBe(201);
    expect(ids).not.toContain(next.json.deploymentId);
  }, 90_000);

  it('restarts an in-memory engine too, saying its data is lost, with the table back', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'convoy-in-memory-restart-'));
    dirs.push(dataDir);
    const fresh = await startConvoy(
      ['--in-memory', '--no-demo', '--port', String(await freePort()), '--data-dir', dataDir],
      cliEnv(),
    );
    pids.push(fresh.pid);
    try {
      const java = engineOf(fresh.pid);
      pids.push(java);
      process.kill(java, 'SIGKILL');
      await waitForHealth(fresh.ready.url, (p) => p.status === 200 && p.body.status === 'ok');
      pids.push(engineOf(fresh.pid));
      expect(fresh.stderr()).toMatch(/in memory: its data is lost/);
      // The table was re-created: the handler answers (no catalog yet), not a 5xx.
      expect((await call(fresh.ready.url, 'GET', '/catalog')).status).toBe(404);
      expect(fresh.stderr()).not.toMatch(/audit relay:/);
    } finally {
      await fresh.stop('SIGTERM');
    }
  }, 90_000);

  it('leaves no java behind when the runtime itself is killed with SIGKILL', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'convoy-sigkill-'));
    dirs.push(dataDir);
    const victim = await startConvoy(
      ['--no-demo', '--port', String(await freePort()), '--data-dir', dataDir],
      cliEnv(),
    );
    const java = engineOf(victim.pid);
    pids.push(victim.pid, java);
    expect(await victim.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await gone(java, 5000)).toBe(true);
    expect(dynamoDbLocalPids()).not.toContain(java);
  }, 90_000);
});
