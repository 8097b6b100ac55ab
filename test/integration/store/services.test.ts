import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '#domain/audit/event.ts';
import {
  actor,
  catalogOf,
  convoyError,
  createHarness,
  prepareDeploy,
  requireHead,
  sealedBundle,
  type Harness,
} from './support.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness('store-services');
  await h.store.catalogs.putCatalog(catalogOf(['dev', 'staging', 'prod-eu']), 0, actor());
});
afterAll(async () => {
  await h.table.drop();
});

describe('EnvironmentStore.reportService', () => {
  it('records service versions with an audit event on the environment chain, in one transaction', async () => {
    const reported = await h.store.environments.reportService('dev', 'checkout-api', '2.3.1', actor('ci'));
    expect(reported).toEqual({
      service: 'checkout-api',
      version: '2.3.1',
      reportedAt: actor().at,
      reportedBy: 'ci',
    });
    await h.store.environments.reportService(
      'dev',
      'checkout-api',
      '2.4.0',
      actor('ci', '2026-03-01T10:05:00.000Z'),
    );
    expect(await h.store.environments.listServices('dev')).toEqual([
      { service: 'checkout-api', version: '2.4.0', reportedAt: '2026-03-01T10:05:00.000Z', reportedBy: 'ci' },
    ]);
    // The same version again changes nothing.
    const before = await h.table.dump();
    await h.store.environments.reportService(
      'dev',
      'checkout-api',
      '2.4.0',
      actor('ci', '2026-03-01T10:06:00.000Z'),
    );
    expect(await h.table.dump()).toEqual(before);

    const head = await requireHead(h.store, 'dev');
    expect(head.version).toBe(0);
    const events = await h.store.audit.listEvents({ chain: 'dev' });
    expect(events.map((e) => e.detail)).toEqual([
      { service: 'checkout-api', version: '2.3.1' },
      { service: 'checkout-api', version: '2.4.0', previousVersion: '2.3.1' },
    ]);
    expect(verifyChain('dev', events, head.audit).ok).toBe(true);
  });

  it('moves the audit position, so a deploy computed before a report must re-read (validation saw old versions)', async () => {
    const head = await requireHead(h.store, 'staging');
    const change = await prepareDeploy(
      h.store,
      head,
      sealedBundle('checkout-timeouts', '3', { 'payments.checkout.timeoutMs': 2500 }),
    );
    await h.store.environments.reportService('staging', 'checkout-api', '1.0.0', actor('ci'));
    const error = await convoyError(h.store.environments.commit(change));
    expect(error.code).toBe('conflict');
    expect(error.context.head).toMatchObject({ version: head.version, audit: { seq: head.audit.seq + 1 } });
  });

  it('serialises concurrent reports on one chain without losing events', async () => {
    await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((s, i) =>
        h.store.environments.reportService('prod-eu', `svc-${s}`, `1.${i}.0`, actor('ci')),
      ),
    );
    expect(await h.store.environments.listServices('prod-eu')).toHaveLength(5);
    const head = await requireHead(h.store, 'prod-eu');
    const events = await h.store.audit.listEvents({ chain: 'prod-eu' });
    expect(events).toHaveLength(5);
    expect(verifyChain('prod-eu', events, head.audit).ok).toBe(true);
  });

  it('answers not-found for an unknown environment', async () => {
    expect(
      (await convoyError(h.store.environments.reportService('nowhere', 'x', '1.0.0', actor()))).code,
    ).toBe('not-found');
  });
});
