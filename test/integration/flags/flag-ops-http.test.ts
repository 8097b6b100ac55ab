import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRINCIPAL_HEADER } from '#api/client.ts';
import { ConvoyProvider } from '#flags-provider/convoy-provider.ts';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { killCatalogDocument, killFlagsBundle } from '../../support/flag-ops.ts';
import { cli } from '../cli/support.ts';

/**
 * Flag operations as users meet them, over HTTP through the embedded API (DynamoDB Local): `convoy flag
 * evaluate` naming an unmet deployment requirement, `convoy flag kill|unkill`, and how long a kill takes
 * to reach an OpenFeature provider polling GET /flags with its ETag (logged, not asserted).
 */
describe('flag requirements and the kill switch over HTTP', () => {
  let api: TestApi;
  let server: ApiServer;
  const convoy = (...args: string[]) => cli(...args, '--api', server.url, '--as', 'olivia');

  beforeAll(async () => {
    api = await createTestApi();
    server = await startApiServer({ port: 0, deps: () => api.deps });
    expect((await api.call('PUT', '/catalog', { body: killCatalogDocument() })).status).toBe(200);
    const gated = {
      ...killFlagsBundle,
      changes: [
        ...killFlagsBundle.changes.slice(1),
        {
          set: 'checkout.newFlow',
          value: {
            type: 'boolean',
            enabled: true,
            defaultVariant: 'on',
            requires: [{ service: 'checkout-api', range: '>=2.3.0' }],
          },
        },
      ],
    };
    expect((await api.call('POST', '/bundles', { body: gated })).status).toBe(201);
    const deployed = await api.call('POST', '/environments/prod-us/deployments', {
      body: { bundle: 'kill-flags@1' },
    });
    expect(deployed.status, deployed.text).toBe(201);
    const reported = await api.call('PUT', '/environments/prod-us/services/checkout-api', {
      body: { version: '2.2.0' },
    });
    expect(reported.status).toBe(200);
  });
  afterAll(async () => {
    await server.close();
    await api.table.drop();
  });

  it('convoy flag evaluate shows REQUIREMENT_UNMET and the service', async () => {
    const run = await convoy('flag', 'evaluate', 'checkout.newFlow', '--env', 'prod-us');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('REQUIREMENT_UNMET');
    expect(run.stdout).toMatch(/unmet\s+checkout-api >=2\.3\.0 \(running 2\.2\.0\)/);
    const json = await convoy('flag', 'evaluate', 'checkout.newFlow', '--env', 'prod-us', '--json');
    expect(json.json).toMatchObject({
      variant: 'off',
      reason: 'REQUIREMENT_UNMET',
      unmet: [{ service: 'checkout-api', range: '>=2.3.0', running: '2.2.0' }],
    });
    const show = await convoy('flag', 'show', 'checkout.newFlow', '--env', 'prod-us');
    expect(show.stdout).toContain('checkout-api >=2.3.0');
  });

  it('convoy flag kill and unkill, refused without a reason (usage); a repeated kill or unkill is a no-op that exits 0', async () => {
    const missing = await convoy('flag', 'kill', 'checkout.express', '--env', 'prod-us');
    expect(missing.code).toBe(2);
    const killed = await convoy('flag', 'kill', 'checkout.express', '--env', 'prod-us', '--reason', 'errors');
    expect(killed.code, killed.stderr).toBe(0);
    expect(killed.stdout).toMatch(/checkout\.express killed: it serves its off variant in prod-us: HEAD 2/);
    const again = await convoy('flag', 'kill', 'checkout.express', '--env', 'prod-us', '--reason', 'errors');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/checkout\.express already killed in prod-us: nothing changed \(HEAD 2\)/);
    const againJson = await convoy(
      'flag',
      'kill',
      'checkout.express',
      '--env',
      'prod-us',
      '--reason',
      'errors',
      '--json',
    );
    expect(againJson.json).toEqual({
      unchanged: true,
      environment: 'prod-us',
      flag: { key: 'checkout.express', killed: true },
      head: { version: 2, snapshot: expect.any(String) },
      deploymentId: 'dpl-prod-us-2',
    });
    const unkilled = await convoy(
      'flag',
      'unkill',
      'checkout.express',
      '--env',
      'prod-us',
      '--reason',
      'ok',
      '--json',
    );
    expect(unkilled.json).toMatchObject({ environment: 'prod-us', head: { version: 3 } });
    const live = await convoy('flag', 'unkill', 'checkout.express', '--env', 'prod-us', '--reason', 'ok');
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toMatch(/checkout\.express not killed in prod-us: nothing changed \(HEAD 3\)/);
  });

  it('a kill reaches a polling OpenFeature provider: time from the API answer to offVariant (logged)', async () => {
    const pollIntervalMs = 50;
    const provider = new ConvoyProvider({
      source: { api: server.url, environment: 'prod-us', headers: { [PRINCIPAL_HEADER]: 'olivia' } },
      pollIntervalMs,
    });
    await provider.initialize();
    try {
      expect(provider.resolve('checkout.express', 'boolean', false, {})).toMatchObject({ value: true });
      const res = await fetch(`${server.url}/environments/prod-us/flags/checkout.express/kill`, {
        method: 'POST',
        headers: { [PRINCIPAL_HEADER]: 'olivia', 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'measure' }),
      });
      const answered = performance.now();
      expect(res.status).toBe(201);
      const ofrep = await fetch(
        `${server.url}/environments/prod-us/ofrep/v1/evaluate/flags/checkout.express`,
        {
          method: 'POST',
          headers: { [PRINCIPAL_HEADER]: 'olivia', 'content-type': 'application/json' },
          body: JSON.stringify({ context: {} }),
        },
      );
      expect(await ofrep.json()).toMatchObject({ variant: 'off', reason: 'DISABLED' });
      while (provider.resolve('checkout.express', 'boolean', true, {}).variant !== 'off')
        await new Promise((resolve) => setTimeout(resolve, 2));
      const ms = performance.now() - answered;
      console.log(
        `kill → provider serving offVariant: ${ms.toFixed(1)} ms (poll interval ${pollIntervalMs} ms)`,
      );
      expect(provider.resolve('checkout.express', 'boolean', true, {})).toMatchObject({
        value: false,
        reason: 'DISABLED',
      });
    } finally {
      await provider.onClose();
    }
  });
});
