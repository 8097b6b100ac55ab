import { afterAll, beforeAll, expect, it } from 'vitest';
import { itemTypes, keys } from '#store/keys.ts';
import {
  actor,
  catalogOf,
  convoyError,
  crashOn,
  createHarness,
  itemsOfType,
  prepareDeploy,
  requireHead,
  sealedBundle,
  type Harness,
} from './support.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness('store-crash');
  await h.store.catalogs.putCatalog(catalogOf(['prod-eu']), 0, actor());
  const head = await requireHead(h.store, 'prod-eu');
  await h.store.environments.commit(
    await prepareDeploy(
      h.store,
      head,
      sealedBundle('baseline', '1', { 'payments.checkout.timeoutMs': 2000 }),
    ),
  );
});
afterAll(async () => {
  await h.table.drop();
});

it('leaves HEAD and readers untouched when the process dies after the snapshot write, before the flip', async () => {
  const before = await requireHead(h.store, 'prod-eu');
  const oldConfig = await h.store.snapshots.getSnapshot(before.snapshot);

  const crashing = h.freshClient();
  crashOn(crashing, 'TransactWriteItemsCommand');
  const store = h.storeWith(crashing);
  const change = await prepareDeploy(
    store,
    before,
    sealedBundle('half-shipped', '1', { 'payments.checkout.timeoutMs': 9000 }),
  );
  // The snapshot write went through...
  expect((await h.store.snapshots.getSnapshot(change.deployment.snapshot)).values).toEqual({
    'payments.checkout.timeoutMs': 9000,
  });
  // ...and the flip did not.
  const error = await convoyError(store.environments.commit(change));
  crashing.destroy();
  expect(error.code).toBe('unavailable');
  expect(error.message).not.toMatch(/ECONNRESET|socket|TransactWrite/);

  const after = await requireHead(h.store, 'prod-eu');
  expect(after).toEqual(before);
  expect(await h.store.snapshots.getSnapshot(after.snapshot)).toEqual(oldConfig);
  expect(await itemsOfType(h.table, itemTypes.deployment, keys.envPartition('prod-eu'))).toHaveLength(1);
  expect(await itemsOfType(h.table, itemTypes.audit, keys.auditPartition('prod-eu'))).toHaveLength(1);

  // A retry after the crash commits normally.
  const retried = await h.store.environments.commit(change);
  expect(retried.head.version).toBe(before.version + 1);
});
