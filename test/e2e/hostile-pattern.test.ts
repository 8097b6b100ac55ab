import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { freePort } from '#local/dynamodb-local.ts';
import { fixtureCatalogYaml } from '../support/api.ts';
import { cliEnv, killIfAlive, startConvoy, type RunningConvoy } from './support/convoy-process.ts';

/**
 * The embedded API keeps answering while a viewer validates a value against a pattern that backtracks
 * exponentially (`^(a+)+$`): patterns run on a linear-time engine, so nothing holds the event loop.
 */
describe('convoy up under a hostile pattern', () => {
  const endpoint = inject('dynamoEndpoint');
  const table = `e2e-pattern-${randomUUID().slice(0, 8)}`;
  const key = 'identity.session.tag';
  let dataDir: string;
  let running: RunningConvoy | undefined;
  let api: string;

  const call = (method: string, path: string, as?: string, body?: unknown) =>
    fetch(`${api}${path}`, {
      method,
      headers: {
        ...(as === undefined ? {} : { 'x-convoy-principal': as }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      // A hung event loop fails the test here, not at the test timeout.
      signal: AbortSignal.timeout(10_000),
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'convoy-e2e-'));
    const port = await freePort();
    running = await startConvoy(
      ['--in-memory', '--no-demo', '--port', String(port), '--data-dir', dataDir],
      cliEnv({ CONVOY_DYNAMODB_ENDPOINT: endpoint, CONVOY_TABLE_NAME: table }),
    );
    api = running.ready.url;
    const catalog = parse(fixtureCatalogYaml) as { parameters: unknown[] };
    catalog.parameters.push({ key, type: 'string', pattern: '^(a+)+$' });
    expect((await call('PUT', '/catalog', 'olivia', catalog)).status).toBe(200);
    const bundle = {
      name: 'session-tag',
      version: '1',
      release: '2026.12-R1',
      team: 'identity',
      changes: [{ set: key, value: `${'a'.repeat(10_000)}!` }],
    };
    expect((await call('POST', '/bundles', 'ivan', bundle)).status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    if (running) {
      await running.stop('SIGTERM');
      killIfAlive(running.pid);
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers /health while validations run, and answers the validations', async () => {
    const validations = Array.from({ length: 4 }, () =>
      call('POST', '/bundles/session-tag/versions/1/validate?env=prod-eu', 'vera'),
    );
    const healths = Array.from({ length: 8 }, () => call('GET', '/health'));
    for (const health of await Promise.all(healths)) expect(health.status).toBe(200);
    for (const response of await Promise.all(validations)) {
      expect(response.status).toBe(200);
      const body = (await response.json()) as { ok: boolean; problems: { code: string; key: string }[] };
      expect(body.ok).toBe(false);
      expect(body.problems).toContainEqual(expect.objectContaining({ code: 'value.invalid', key }));
    }
    expect((await call('GET', '/health')).status).toBe(200);
  });
});
