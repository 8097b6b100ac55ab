import { beforeAll, describe, expect, it } from 'vitest';
import type { FlagReport } from '#domain/flags/flag-report.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { killCatalogDocument, killFlagsBundle } from '../support/flag-ops.ts';

const env = '/environments/prod-us';

/**
 * The report's `inert` finding on seeded data (DynamoDB Local): a flag whose deployment requirement
 * is unmet in the environment (the service CI/CD reported runs below the range) is listed as inert,
 * naming the service; a satisfying service report clears it, a rollback below the range brings it back.
 */
describe('flag report: inert while a requirement is unmet (DynamoDB Local)', () => {
  let api: TestApi;
  const report = async (): Promise<FlagReport> => {
    const res = await api.call('GET', `${env}/flags/report`);
    expect(res.status, res.text).toBe(200);
    return res.json as FlagReport;
  };
  const findingsOf = (r: FlagReport, key: string) => r.flags.find((f) => f.key === key)?.findings ?? [];
  const reportVersion = async (version: string) => {
    const res = await api.call('PUT', `${env}/services/checkout-api`, { body: { version } });
    expect(res.status, res.text).toBe(200);
  };

  beforeAll(async () => {
    api = await createTestApi();
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
    const deployed = await api.call('POST', `${env}/deployments`, { body: { bundle: 'kill-flags@1' } });
    expect(deployed.status, deployed.text).toBe(201);
    await reportVersion('2.2.0');
  });

  it('lists the flag as inert, naming the service below the range; the flag without requirements is not', async () => {
    const r = await report();
    expect(findingsOf(r, 'checkout.newFlow')).toContainEqual({
      kind: 'inert',
      unmet: [{ service: 'checkout-api', range: '>=2.3.0', running: '2.2.0' }],
    });
    expect(r.flags.find((f) => f.key === 'checkout.newFlow')?.requirements).toMatchObject({ met: false });
    expect(findingsOf(r, 'checkout.express').map((f) => f.kind)).not.toContain('inert');
    expect(r.summary.inert).toBe(1);
    const md = await api.call('GET', `${env}/flags/report?format=md`);
    expect(md.text).toMatch(/inert/);
  });

  it('is no longer inert once CI/CD reports a satisfying version, and inert again after a rollback below it', async () => {
    await reportVersion('2.3.1');
    const met = await report();
    expect(findingsOf(met, 'checkout.newFlow').map((f) => f.kind)).not.toContain('inert');
    expect(met.flags.find((f) => f.key === 'checkout.newFlow')?.requirements).toMatchObject({ met: true });
    expect(met.summary.inert).toBe(0);
    await reportVersion('2.1.0');
    const lost = await report();
    expect(findingsOf(lost, 'checkout.newFlow')).toContainEqual({
      kind: 'inert',
      unmet: [{ service: 'checkout-api', range: '>=2.3.0', running: '2.1.0' }],
    });
  });
});
