import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyChain } from '#domain/audit/event.ts';
import { ConvoyError } from '#domain/core/errors.ts';
import type { Head } from '#domain/environments/head.ts';
import { itemTypes, keys } from '#store/keys.ts';
import {
  actor,
  catalogOf,
  createHarness,
  itemsOfType,
  prepareDeploy,
  requireHead,
  sealedBundle,
  type Harness,
} from './support.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness('store-race');
  await h.store.catalogs.putCatalog(catalogOf(['prod-us']), 0, actor());
});
afterAll(async () => {
  await h.table.drop();
});

it('lets exactly one of 50 concurrent deploys against the same HEAD win; the others conflict, nothing merged', async () => {
  const head = await requireHead(h.store, 'prod-us');
  const changes = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      prepareDeploy(h.store, head, sealedBundle(`bundle-${i}`, '1', { [`payments.racer.k${i}`]: i }), {
        principal: `racer-${i}`,
      }),
    ),
  );
  const results = await Promise.allSettled(changes.map((change) => h.store.environments.commit(change)));

  const winners = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const losers = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  expect(winners).toHaveLength(1);
  expect(losers).toHaveLength(49);
  const [winner] = winners;
  const current = await requireHead(h.store, 'prod-us');
  expect(current).toEqual(winner?.head);
  for (const loser of losers) {
    expect(loser).toBeInstanceOf(ConvoyError);
    expect((loser as ConvoyError).code).toBe('conflict');
    expect((loser as ConvoyError).context.head as Head).toEqual(current);
  }

  // One record, one audit event for version 1, and the live snapshot is exactly the winner's: no merge.
  const records = await itemsOfType(h.table, itemTypes.deployment, keys.envPartition('prod-us'));
  expect(records).toHaveLength(1);
  expect(records[0]?.principal).toBe(winner?.deployment.principal);
  const events = await itemsOfType(h.table, itemTypes.audit, keys.auditPartition('prod-us'));
  expect(events).toHaveLength(1);
  const snapshot = await h.store.snapshots.getSnapshot(current.snapshot);
  expect(Object.keys(snapshot.values)).toHaveLength(1);
  expect(snapshot.bundles.map((b) => b.name)).toEqual([winner?.deployment.bundle?.name]);
  expect(verifyChain('prod-us', await h.store.audit.listEvents({ chain: 'prod-us' }), current.audit).ok).toBe(
    true,
  );
});
