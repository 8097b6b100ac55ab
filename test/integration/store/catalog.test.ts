import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '#domain/audit/event.ts';
import { GLOBAL_CHAIN } from '#store/keys.ts';
import { actor, catalogOf, convoyError, createHarness, type Harness } from './support.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness('store-catalog');
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
