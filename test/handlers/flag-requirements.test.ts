import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';
import { killCatalogDocument as catalogDocument } from '../support/flag-ops.ts';

const newFlow = {
  type: 'boolean',
  enabled: true,
  defaultVariant: 'on',
  requires: [{ service: 'checkout-api', range: '>=2.3.0' }],
};
const bundle = (name: string, changes: unknown[]) => ({
  name,
  version: '1',
  release: '2026.12-R1',
  team: 'payments',
  changes,
});
const env = '/environments/prod-us';

describe('flag deployment requirements through the handlers (DynamoDB Local)', () => {
  let api: TestApi;
  const evaluate = async () =>
    api.call('POST', `${env}/ofrep/v1/evaluate/flags/checkout.newFlow`, { body: { context: {} } });
  const report = async (version: string) =>
    api.call('PUT', `${env}/services/checkout-api`, { body: { version } });
  const auditTypes = async () =>
    ((await api.call('GET', '/audit?env=prod-us')).json.events as { type: string; detail: unknown }[]).filter(
      (e) => e.type === 'FlagRequirementsChanged',
    );

  beforeAll(async () => {
    api = await createTestApi();
    expect((await api.call('PUT', '/catalog', { body: catalogDocument() })).status).toBe(200);
    expect((await report('2.2.0')).status).toBe(200);
  });

  it('refuses deploying a requirement naming a service the catalog lacks, HEAD unchanged', async () => {
    const ghost = bundle('ghost-flags', [
      {
        set: 'checkout.express',
        value: { type: 'boolean', enabled: true, requires: [{ service: 'ghost-api', range: '>=1' }] },
      },
    ]);
    expect((await api.call('POST', '/bundles', { body: ghost })).status).toBe(201);
    const headBefore = (await api.call('GET', '/environments')).json;
    const refused = await api.call('POST', `${env}/deployments`, { body: { bundle: 'ghost-flags@1' } });
    expect(refused.status).toBe(422);
    expect(refused.json.problems).toContainEqual(
      expect.objectContaining({
        code: 'flag.requirement-unknown-service',
        path: 'changes[0].value.requires[0].service',
      }),
    );
    expect((await api.call('GET', '/environments')).json).toEqual(headBefore);
  });

  it('warns that the change is inert where the requirement is unmet, and deploys it', async () => {
    expect(
      (
        await api.call('POST', '/bundles', {
          body: bundle('flow', [{ set: 'checkout.newFlow', value: newFlow }]),
        })
      ).status,
    ).toBe(201);
    const validated = await api.call('POST', '/bundles/flow/versions/1/validate?env=prod-us');
    expect(validated.json.ok).toBe(true);
    expect(validated.json.problems).toEqual([
      expect.objectContaining({
        code: 'flag.requirement-inert',
        severity: 'warning',
        message: expect.stringContaining('requires checkout-api >=2.3.0, which runs 2.2.0 there'),
      }),
    ]);
    const deployed = await api.call('POST', `${env}/deployments`, { body: { bundle: 'flow@1' } });
    expect(deployed.status, deployed.text).toBe(201);
  });

  it('unmet: serves offVariant, OFREP naming REQUIREMENT_UNMET and the service', async () => {
    const res = await evaluate();
    expect(res.json).toEqual({
      key: 'checkout.newFlow',
      reason: 'UNKNOWN',
      variant: 'off',
      value: false,
      metadata: { convoyReason: 'REQUIREMENT_UNMET', unmet: 'checkout-api >=2.3.0 (running 2.2.0)' },
    });
    const set = await api.call('GET', `${env}/flags`);
    expect(set.json.services).toEqual({ 'checkout-api': '2.2.0' });
  });

  it('met later by a service report: switches on, audited in the same transaction', async () => {
    const before = (await api.call('GET', `${env}/flags`)).json.etag as string;
    const res = await report('2.3.1');
    expect(res.json.flagChanges).toEqual([{ flag: 'checkout.newFlow', from: 'unmet', to: 'met', unmet: [] }]);
    expect((await evaluate()).json).toEqual({
      key: 'checkout.newFlow',
      reason: 'STATIC',
      variant: 'on',
      value: true,
    });
    expect((await api.call('GET', `${env}/flags`)).json.etag).not.toBe(before);
    expect(await auditTypes()).toEqual([
      expect.objectContaining({
        detail: {
          service: 'checkout-api',
          version: '2.3.1',
          previousVersion: '2.2.0',
          flags: [{ flag: 'checkout.newFlow', from: 'unmet', to: 'met', unmet: [] }],
        },
      }),
    ]);
  });

  it('lost by a service rollback below the range: back off, audited', async () => {
    const res = await report('2.1.0');
    expect(res.json.flagChanges).toEqual([
      {
        flag: 'checkout.newFlow',
        from: 'met',
        to: 'unmet',
        unmet: [{ service: 'checkout-api', range: '>=2.3.0', running: '2.1.0' }],
      },
    ]);
    expect((await evaluate()).json.metadata).toEqual({
      convoyReason: 'REQUIREMENT_UNMET',
      unmet: 'checkout-api >=2.3.0 (running 2.1.0)',
    });
    expect(await auditTypes()).toHaveLength(2);
    const verify = await api.call('GET', '/audit/verify');
    expect(verify.status, verify.text).toBe(200);
  });

  it('a report that changes no requirement status writes no flag event', async () => {
    const res = await report('2.0.0');
    expect(res.json.flagChanges).toEqual([]);
    expect(await auditTypes()).toHaveLength(2);
  });

  it('the first report of a service in an environment switches its flags on (no previous version)', async () => {
    const deployed = await api.call('POST', '/environments/staging/deployments', {
      body: { bundle: 'flow@1' },
    });
    expect(deployed.status, deployed.text).toBe(201);
    const res = await api.call('PUT', '/environments/staging/services/checkout-api', {
      body: { version: '3.0.0' },
    });
    expect(res.json.flagChanges).toEqual([{ flag: 'checkout.newFlow', from: 'unmet', to: 'met', unmet: [] }]);
    const events = (await api.call('GET', '/audit?env=staging')).json.events as {
      type: string;
      detail: object;
    }[];
    expect(events.find((e) => e.type === 'FlagRequirementsChanged')?.detail).not.toHaveProperty(
      'previousVersion',
    );
  });
});
