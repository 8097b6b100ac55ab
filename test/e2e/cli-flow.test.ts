import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '#local/dynamodb-local.ts';
import { createLocalDynamoDbClient } from '#local/local-clients.ts';
import { keys } from '#store/keys.ts';
import { cliEnv, convoy, killIfAlive, startConvoy, type RunningConvoy } from './support/convoy-process.ts';

/**
 * The embedded runtime end to end: `convoy up` as a child process on the run's DynamoDB Local, driven
 * only through the CLI, as a pipeline would.
 */
describe('convoy CLI against convoy up', () => {
  const endpoint = inject('dynamoEndpoint');
  const table = `e2e-cli-${randomUUID().slice(0, 8)}`;
  let dataDir: string;
  let tmp: string;
  let running: RunningConvoy | undefined;
  let api: string;

  const as = (principal: string, ...args: string[]) =>
    convoy([...args, '--json', '--api', api, '--as', principal]);
  const olivia = (...args: string[]) => as('olivia', ...args);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'convoy-e2e-'));
    tmp = await mkdtemp(join(tmpdir(), 'convoy-e2e-files-'));
    const port = await freePort();
    running = await startConvoy(
      ['--in-memory', '--no-demo', '--port', String(port), '--data-dir', dataDir],
      cliEnv({ CONVOY_DYNAMODB_ENDPOINT: endpoint, CONVOY_TABLE_NAME: table }),
    );
    api = running.ready.url;
  }, 120_000);

  afterAll(async () => {
    if (running) {
      await running.stop('SIGTERM');
      killIfAlive(running.pid);
    }
    await rm(dataDir, { recursive: true, force: true });
    await rm(tmp, { recursive: true, force: true });
  });

  it('reports ready on GET /health, with the embedded runtime used the shared engine', async () => {
    expect(running!.ready.engine).toBe('external');
    expect(running!.ready.relay).toBe('streams');
    const health = (await (await fetch(`${api}/health`)).json()) as {
      status: string;
      runtime: { ready: boolean };
    };
    expect(health).toMatchObject({ status: 'ok', runtime: { ready: true } });
  });

  it('applies and shows the catalog', async () => {
    const applied = await olivia('catalog', 'apply', 'examples/catalog.yaml');
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.json).toMatchObject({ version: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const shown = await as('vera', 'catalog', 'show');
    expect(shown.code).toBe(0);
    expect((shown.json.catalog.environments as { name: string }[]).map((e) => e.name)).toEqual([
      'dev',
      'staging',
      'prod-eu',
      'prod-us',
    ]);
  });

  it('records service versions', async () => {
    for (const [service, version] of [
      ['checkout-api', '2.4.0'],
      ['session-api', '5.2.1'],
    ] as const) {
      const reported = await olivia('service', 'report', service, version, '--env', 'dev');
      expect(reported.code, reported.stderr).toBe(0);
      expect(reported.json).toMatchObject({ environment: 'dev', service, version });
    }
  });

  it('validates bundles offline and against the API; a bad bundle exits 1 with every problem', async () => {
    const offline = await convoy([
      'bundle',
      'validate',
      'examples/bundles/checkout-timeouts.yaml',
      '--catalog',
      'examples/catalog.yaml',
      '--json',
    ]);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.json).toEqual({ ok: true, problems: [] });

    const bad = join(tmp, 'bad.yaml');
    await writeFile(
      bad,
      [
        'name: bad-timeouts',
        'version: "1"',
        'release: 2026.12-R1',
        'team: payments',
        'changes:',
        '  - { set: payments.checkout.timeoutMs, value: 99999999 }',
        '  - { set: payments.checkout.timeoutMz, value: 100 }',
      ].join('\n'),
    );
    for (const result of [
      await convoy(['bundle', 'validate', bad, '--catalog', 'examples/catalog.yaml', '--json']),
      await olivia('bundle', 'validate', bad, '--env', 'dev'),
    ]) {
      expect(result.code).toBe(1);
      expect(result.json.ok).toBe(false);
      const problems = result.json.problems as { code: string; key?: string; message: string }[];
      expect(problems.length).toBeGreaterThanOrEqual(2);
      expect(problems.map((p) => p.key)).toEqual(
        expect.arrayContaining(['payments.checkout.timeoutMs', 'payments.checkout.timeoutMz']),
      );
      for (const p of problems) expect(p.message).toEqual(expect.any(String));
    }

    const needsDependency = await olivia(
      'bundle',
      'validate',
      'examples/bundles/checkout-timeouts.yaml',
      '--env',
      'dev',
    );
    expect(needsDependency.code).toBe(1);
    expect((needsDependency.json.problems as { code: string }[]).map((p) => p.code)).toContain(
      'dependency.not-deployed',
    );
  });

  it('pushes bundles idempotently and lists and shows them', async () => {
    const first = await olivia('bundle', 'push', 'examples/bundles/identity-session.yaml');
    expect(first.code, first.stderr).toBe(0);
    expect(first.json).toMatchObject({
      name: 'identity-session',
      version: '2',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const again = await olivia('bundle', 'push', 'examples/bundles/identity-session.yaml');
    expect(again.code).toBe(0);
    expect(again.json.hash).toBe(first.json.hash);
    expect((await olivia('bundle', 'push', 'examples/bundles/checkout-timeouts.yaml')).code).toBe(0);

    const list = await olivia('bundle', 'list', '--release', '2026.12-R1');
    expect((list.json.bundles as { name: string }[]).map((b) => b.name).sort()).toEqual([
      'checkout-timeouts',
      'identity-session',
    ]);
    const shown = await olivia('bundle', 'show', 'identity-session@2');
    expect(shown.json).toMatchObject({
      name: 'identity-session',
      version: '2',
      team: 'identity',
      hash: first.json.hash,
    });
  });

  it('deploys, refuses a stale If-Match with exit 3, and serves the config', async () => {
    const deployed = await olivia('deploy', 'identity-session@2', '--env', 'dev');
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.json).toEqual({
      deploymentId: expect.any(String),
      environment: 'dev',
      head: { version: 1, snapshot: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });

    const stale = await olivia('deploy', 'checkout-timeouts@3', '--env', 'dev', '--if-match', '0');
    expect(stale.code).toBe(3);
    expect(stale.stderr).toMatch(/error/);

    const fresh = await olivia('deploy', 'checkout-timeouts@3', '--env', 'dev', '--if-match', '1');
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.json.head.version).toBe(2);

    const json = await olivia(
      'config',
      'get',
      '--env',
      'dev',
      '--format',
      'json',
      '--prefix',
      'payments.checkout',
    );
    expect(json.code).toBe(0);
    expect(json.json).toMatchObject({
      'payments.checkout.timeoutMs': 2500,
      'payments.checkout.retryBudgetMs': 8000,
      'payments.checkout.sessionTtlSeconds': 7200,
    });
    expect(Object.keys(json.json as object).every((key) => key.startsWith('payments.checkout.'))).toBe(true);

    const dotenv = await convoy([
      'config',
      'get',
      '--env',
      'dev',
      '--format',
      'dotenv',
      '--api',
      api,
      '--as',
      'vera',
    ]);
    expect(dotenv.code).toBe(0);
    expect(dotenv.stdout).toMatch(/^PAYMENTS_CHECKOUT_TIMEOUT_MS=2500$/m);
  });

  it('rolls back and shows the status matrix', async () => {
    const rolledBack = await olivia('rollback', '--env', 'dev');
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    expect(rolledBack.json).toMatchObject({ environment: 'dev', head: { version: 3 } });
    const config = await olivia('config', 'get', '--env', 'dev', '--prefix', 'payments.checkout.timeoutMs');
    expect(config.json).toEqual({ 'payments.checkout.timeoutMs': 2000 });

    const status = await olivia('status');
    expect(status.code).toBe(0);
    const [dev, ...others] = status.json.environments as {
      name: string;
      head: { version: number };
      bundles: string[];
    }[];
    expect(dev).toMatchObject({ name: 'dev', head: { version: 3 }, bundles: ['identity-session@2'] });
    expect(others.map((e) => e.name)).toEqual(['staging', 'prod-eu', 'prod-us']);

    const human = await convoy(['status', '--api', api, '--as', 'vera']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/identity-session@2\s+✓/);
  });

  it('lists the audit trail, delivers it on the local bus, and verifies the chains', async () => {
    const list = await olivia('audit', 'list', '--env', 'dev');
    expect(list.code).toBe(0);
    const types = (list.json.events as { type: string }[]).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['ServiceVersionReported', 'BundleDeployed', 'EnvironmentRolledBack']),
    );

    // The outbox relay delivers asynchronously: wait for the last event to reach audit.jsonl.
    const lastSeq = (list.json.events as { seq: number }[]).at(-1)?.seq;
    let delivered: { chain: string; seq: number; type: string }[] = [];
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const text = await readFile(join(dataDir, 'audit.jsonl'), 'utf8').catch(() => '');
      delivered = text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { chain: string; seq: number; type: string });
      if (delivered.some((e) => e.chain === 'dev' && e.seq === lastSeq)) break;
      await sleep(100);
    }
    expect(delivered.filter((e) => e.chain === 'dev').map((e) => e.type)).toEqual(types);
    expect(
      running!
        .lines()
        .some((line) => (line.audit as { type?: string } | undefined)?.type === 'BundleDeployed'),
    ).toBe(true);

    const verified = await olivia('audit', 'verify');
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.json.ok).toBe(true);
  });

  it('names the first edited audit event and exits 1 when the chain is tampered with', async () => {
    const dynamo = createLocalDynamoDbClient(endpoint);
    try {
      await dynamo.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { pk: { S: keys.auditEvent('dev', 2).pk }, sk: { S: keys.auditEvent('dev', 2).sk } },
          UpdateExpression: 'SET #actor = :actor',
          ExpressionAttributeNames: { '#actor': 'actor' },
          ExpressionAttributeValues: { ':actor': { S: 'mallory' } },
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } finally {
      dynamo.destroy();
    }
    const verified = await olivia('audit', 'verify', '--env', 'dev');
    expect(verified.code).toBe(1);
    expect(verified.json.ok).toBe(false);
    expect(verified.json.chains).toEqual([
      expect.objectContaining({ chain: 'dev', ok: false, firstBad: expect.objectContaining({ seq: 2 }) }),
    ]);

    const human = await convoy(['audit', 'verify', '--api', api, '--as', 'vera']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/dev #2/);
  });

  it('exits 2 on usage errors', async () => {
    const missingEnv = await olivia('deploy', 'identity-session@2');
    expect(missingEnv.code).toBe(2);
    const unreadable = await olivia('bundle', 'push', join(tmp, 'does-not-exist.yaml'));
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/Cannot read/);
    const notARef = await olivia('deploy', 'identity-session', '--env', 'dev');
    expect(notARef.code).toBe(2);
    const unknownFlag = await olivia('status', '--bogus');
    expect(unknownFlag.code).toBe(2);
  });

  it('exits 1 when the caller is not allowed', async () => {
    const forbidden = await as('vera', 'deploy', 'checkout-timeouts@3', '--env', 'dev');
    expect(forbidden.code).toBe(1);
    expect(forbidden.json.error).toMatchObject({ status: 403, code: 'forbidden' });
    expect(forbidden.stderr).toMatch(/hint/);
  });

  it('exits 3 with a next step when the API is unreachable', async () => {
    const closed = await freePort();
    const result = await convoy(['status', '--api', `http://127.0.0.1:${closed}`]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/convoy up/);
  });
});
