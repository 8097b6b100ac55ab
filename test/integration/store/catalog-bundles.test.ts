import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../../lib/domain/audit/event.ts';
import { GLOBAL_CHAIN, itemTypes, keys } from '../../../lib/store/keys.ts';
import {
  actor,
  catalogOf,
  convoyError,
  createHarness,
  itemsOfType,
  prepareDeploy,
  requireHead,
  sealedBundle,
  type Harness,
} from './support.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness('store-cat');
});
afterAll(async () => {
  await h.table.drop();
});

const globalChainVerifies = async (): Promise<boolean> => {
  const head = (await h.store.audit.listChains()).find((c) => c.chain === GLOBAL_CHAIN)?.head;
  return verifyChain(GLOBAL_CHAIN, await h.store.audit.listEvents({ chain: GLOBAL_CHAIN }), head).ok;
};

describe('CatalogStore', () => {
  it('creates the catalog only from version 0, then only from the version read', async () => {
    expect(await h.store.catalogs.getCatalog()).toBeUndefined();
    const first = await h.store.catalogs.putCatalog(catalogOf(['dev', 'staging']), 0, actor());
    expect(first).toMatchObject({ version: 1, updatedBy: 'olivia' });
    expect(await h.store.catalogs.getCatalog()).toEqual(first);

    const before = await h.table.dump();
    const stale = await convoyError(h.store.catalogs.putCatalog(catalogOf(['dev']), 0, actor('mallory')));
    expect(stale.code).toBe('conflict');
    expect(stale.context).toEqual({ expectedVersion: 0, currentVersion: 1 });
    expect(await h.table.dump()).toEqual(before);

    const second = await h.store.catalogs.putCatalog(
      catalogOf(['dev', 'staging', 'prod-eu']),
      1,
      actor('priya'),
    );
    expect(second.version).toBe(2);
    expect((await h.store.catalogs.getCatalog())?.catalog.environments.map((e) => e.name)).toEqual([
      'dev',
      'staging',
      'prod-eu',
    ]);
    // Only the new environment got a HEAD; the others kept theirs.
    expect((await h.store.environments.listHeads()).map((x) => x.environment).sort()).toEqual([
      'dev',
      'prod-eu',
      'staging',
    ]);
    const events = await h.store.audit.listEvents({ chain: GLOBAL_CHAIN });
    expect(events.map((e) => [e.type, e.detail.createdEnvironments])).toEqual([
      ['CatalogApplied', ['dev', 'staging']],
      ['CatalogApplied', ['prod-eu']],
    ]);
    expect(await globalChainVerifies()).toBe(true);
  });

  it('lets one of two concurrent catalog updates from the same version win', async () => {
    const current = await h.store.catalogs.getCatalog();
    const version = current?.version ?? 0;
    const results = await Promise.allSettled([
      h.store.catalogs.putCatalog(catalogOf(['dev', 'staging', 'prod-eu', 'prod-us']), version, actor('a')),
      h.store.catalogs.putCatalog(catalogOf(['dev', 'staging', 'prod-eu', 'qa']), version, actor('b')),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await h.store.catalogs.getCatalog())?.version).toBe(version + 1);
    expect(await globalChainVerifies()).toBe(true);
  });
});

describe('BundleStore', () => {
  const v3 = sealedBundle('checkout-timeouts', '3', { 'payments.checkout.timeoutMs': 2500 });

  it('pushes once; the same content again is idempotent', async () => {
    const first = await h.store.bundles.putBundle(v3, actor('priya'));
    expect(first).toEqual({
      created: true,
      summary: {
        name: 'checkout-timeouts',
        version: '3',
        release: '2026.12-R1',
        team: 'payments',
        hash: v3.hash,
        changes: 1,
        pushedAt: actor().at,
        pushedBy: 'priya',
      },
    });
    const before = await h.table.dump();
    const again = await h.store.bundles.putBundle(
      sealedBundle('checkout-timeouts', '3', { 'payments.checkout.timeoutMs': 2500 }),
      actor('ci'),
    );
    expect(again).toEqual({ created: false, summary: first.summary });
    expect(await h.table.dump()).toEqual(before);
    expect(await h.store.bundles.getBundle('checkout-timeouts', '3')).toEqual({
      ...first.summary,
      sealed: v3,
    });
    expect(await h.store.bundles.getBundle('checkout-timeouts', '4')).toBeUndefined();
  });

  it('refuses different content under a pushed name@version, naming both hashes', async () => {
    const changed = sealedBundle('checkout-timeouts', '3', { 'payments.checkout.timeoutMs': 9999 });
    const before = await h.table.dump();
    const error = await convoyError(h.store.bundles.putBundle(changed, actor('priya')));
    expect(error.code).toBe('conflict');
    expect(error.context).toMatchObject({ existingHash: v3.hash, pushedHash: changed.hash });
    expect(error.message).toContain(v3.hash);
    expect(error.message).toContain(changed.hash);
    expect(await h.table.dump()).toEqual(before);
  });

  it('settles concurrent pushes of one name@version: one created, same content idempotent, other content 409', async () => {
    const a = sealedBundle('race', '1', { 'payments.race.x': 1 });
    const b = sealedBundle('race', '1', { 'payments.race.x': 2 });
    const results = await Promise.allSettled([
      h.store.bundles.putBundle(a, actor('one')),
      h.store.bundles.putBundle(a, actor('two')),
      h.store.bundles.putBundle(b, actor('three')),
    ]);
    const created = results.filter((r) => r.status === 'fulfilled' && r.value.created);
    expect(created).toHaveLength(1);
    expect(await itemsOfType(h.table, itemTypes.bundle, keys.bundlePartition('race'))).toHaveLength(1);
    const winner = (await h.store.bundles.getBundle('race', '1'))?.hash;
    for (const result of results) {
      if (result.status === 'rejected')
        expect(result.reason).toMatchObject({ code: 'conflict', context: { existingHash: winner } });
      else expect(result.value.summary.hash).toBe(winner);
    }
  });

  it('lists by release and name, and returns full documents of a release', async () => {
    await h.store.bundles.putBundle(
      sealedBundle('identity-session', '2', { 'identity.session.ttlSeconds': 900 }),
      actor(),
    );
    await h.store.bundles.putBundle(
      sealedBundle('checkout-timeouts', '4', { 'payments.checkout.timeoutMs': 3000 }, '2027.01-R1'),
      actor(),
    );
    const all = await h.store.bundles.listBundles();
    expect(all.map((b) => `${b.name}@${b.version}`)).toEqual([
      'checkout-timeouts@3',
      'checkout-timeouts@4',
      'identity-session@2',
      'race@1',
    ]);
    expect((await h.store.bundles.listBundles({ name: 'checkout-timeouts' })).map((b) => b.version)).toEqual([
      '3',
      '4',
    ]);
    expect((await h.store.bundles.listBundles({ release: '2026.12-R1' })).map((b) => b.name)).toEqual([
      'checkout-timeouts',
      'identity-session',
      'race',
    ]);
    expect(
      await h.store.bundles.listBundles({ release: '2026.12-R1', name: 'identity-session' }),
    ).toHaveLength(1);
    const release = await h.store.bundles.releaseBundles('2027.01-R1');
    expect(release.map((s) => s.bundle.changes)).toEqual([
      [{ set: 'payments.checkout.timeoutMs', value: 3000 }],
    ]);
    expect(await h.store.bundles.releaseBundles('1999.01')).toEqual([]);
    expect(await globalChainVerifies()).toBe(true);
  });
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
