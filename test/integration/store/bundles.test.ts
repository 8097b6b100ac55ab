import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '#domain/audit/event.ts';
import { GLOBAL_CHAIN, itemTypes, keys } from '#store/keys.ts';
import { actor, convoyError, createHarness, itemsOfType, sealedBundle, type Harness } from './support.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness('store-bundles');
});
afterAll(async () => {
  await h.table.drop();
});

const globalChainVerifies = async (): Promise<boolean> => {
  const head = (await h.store.audit.listChains()).find((c) => c.chain === GLOBAL_CHAIN)?.head;
  return verifyChain(GLOBAL_CHAIN, await h.store.audit.listEvents({ chain: GLOBAL_CHAIN }), head).ok;
};

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
