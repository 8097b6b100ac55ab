import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainStart, verifyChain } from '#domain/audit/event.ts';
import { emptySnapshot, snapshotHash } from '#domain/bundles/snapshot.ts';
import { itemTypes, keys } from '#store/keys.ts';
import type { CommitGuard, EnvironmentChange } from '#store/ports.ts';
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
  h = await createHarness('store-tx');
  await h.store.catalogs.putCatalog(catalogOf(['dev', 'staging', 'prod-eu']), 0, actor());
});
afterAll(async () => {
  await h.table.drop();
});

describe('EnvironmentStore.commit', () => {
  it('starts every catalog environment at version 0 on the empty snapshot', async () => {
    const head = await requireHead(h.store, 'dev');
    expect(head).toEqual({
      environment: 'dev',
      version: 0,
      snapshot: snapshotHash(emptySnapshot()),
      audit: chainStart,
    });
    expect(await h.store.snapshots.getSnapshot(head.snapshot)).toEqual(emptySnapshot());
    const heads = await h.store.environments.listHeads();
    expect(heads.map((x) => x.environment).sort()).toEqual(['dev', 'prod-eu', 'staging']);
  });

  it('flips HEAD, writes the deployment record and the audit event in one transaction', async () => {
    const before = await requireHead(h.store, 'dev');
    const change = await prepareDeploy(
      h.store,
      before,
      sealedBundle('checkout-timeouts', '1', { 'payments.checkout.timeoutMs': 2500 }),
    );
    const result = await h.store.environments.commit(change);

    expect(result.head).toEqual({
      environment: 'dev',
      version: 1,
      snapshot: change.deployment.snapshot,
      deploymentId: 'dpl-dev-1',
      updatedAt: change.deployment.at,
      audit: { seq: 1, hash: result.event.hash },
    });
    expect(await h.store.environments.getHead('dev')).toEqual(result.head);
    expect(await h.store.environments.getDeployment('dev', 'dpl-dev-1')).toEqual(change.deployment);
    expect(result.event).toMatchObject({
      chain: 'dev',
      seq: 1,
      prevHash: chainStart.hash,
      type: 'BundleDeployed',
    });

    const events = await h.store.audit.listEvents({ chain: 'dev' });
    expect(events).toEqual([result.event]);
    expect(verifyChain('dev', events, result.head.audit)).toEqual({ chain: 'dev', ok: true, checked: 1 });
    const snapshot = await h.store.snapshots.getSnapshot(result.head.snapshot);
    expect(snapshot.values).toEqual({ 'payments.checkout.timeoutMs': 2500 });
  });

  it('chains further deployments and rollbacks through the same path, newest first in the listing', async () => {
    const first = await requireHead(h.store, 'staging');
    const one = await h.store.environments.commit(
      await prepareDeploy(h.store, first, sealedBundle('a', '1', { 'payments.a.x': 1 })),
    );
    const two = await h.store.environments.commit(
      await prepareDeploy(h.store, one.head, sealedBundle('b', '1', { 'payments.b.x': 2 })),
    );
    // Roll back to the snapshot deployment one produced.
    const rollback: EnvironmentChange = {
      environment: 'staging',
      expected: two.head,
      deployment: {
        id: 'dpl-staging-3',
        environment: 'staging',
        kind: 'rollback',
        headVersion: 3,
        previousSnapshot: two.head.snapshot,
        snapshot: one.head.snapshot,
        rolledBackTo: one.deployment.id,
        principal: 'olivia',
        at: '2026-03-01T11:00:00.000Z',
        sinks: {},
      },
      audit: {
        type: 'EnvironmentRolledBack',
        at: '2026-03-01T11:00:00.000Z',
        actor: 'olivia',
        subject: 'staging',
        detail: { to: one.deployment.id },
      },
    };
    const three = await h.store.environments.commit(rollback);
    expect(three.head).toMatchObject({ version: 3, snapshot: one.head.snapshot, audit: { seq: 3 } });

    const listed = await h.store.environments.listDeployments('staging');
    expect(listed.map((d) => d.id)).toEqual(['dpl-staging-3', 'dpl-staging-2', 'dpl-staging-1']);
    expect((await h.store.environments.listDeployments('staging', 2)).map((d) => d.id)).toEqual([
      'dpl-staging-3',
      'dpl-staging-2',
    ]);
    const events = await h.store.audit.listEvents({ chain: 'staging' });
    expect(events.map((e) => e.type)).toEqual(['BundleDeployed', 'BundleDeployed', 'EnvironmentRolledBack']);
    expect(verifyChain('staging', events, three.head.audit).ok).toBe(true);
  });

  it('reads deployments only by a well-formed id of the same environment', async () => {
    expect(await h.store.environments.getDeployment('dev', 'dpl-staging-1')).toBeUndefined();
    expect(await h.store.environments.getDeployment('dev', 'not-an-id')).toBeUndefined();
    expect(await h.store.environments.getDeployment('dev', 'dpl-dev-99')).toBeUndefined();
  });

  it('rejects a stale HEAD with a conflict carrying the current HEAD, and writes nothing', async () => {
    const stale = await requireHead(h.store, 'prod-eu');
    await h.store.environments.commit(
      await prepareDeploy(h.store, stale, sealedBundle('a', '1', { 'payments.a.x': 1 })),
    );
    const change = await prepareDeploy(h.store, stale, sealedBundle('b', '1', { 'payments.b.x': 2 }));
    const before = await h.table.dump();
    const error = await convoyError(h.store.environments.commit(change));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/HEAD of prod-eu moved/);
    expect(error.context.head).toEqual(await h.store.environments.getHead('prod-eu'));
    expect(await h.table.dump()).toEqual(before);
  });

  it('adds guards to the same transaction and reports the failed ones by index', async () => {
    const head = await requireHead(h.store, 'dev');
    const change = await prepareDeploy(h.store, head, sealedBundle('guarded', '1', { 'payments.g.x': 1 }));
    // A passing guard (dev's freeze guard is where it was read) and a failing one (it moved since).
    const { version } = await h.store.freezes.getGuard('dev');
    const guards: CommitGuard[] = [
      { kind: 'freeze-guard', environment: 'dev', seenVersion: version },
      { kind: 'freeze-guard', environment: 'dev', seenVersion: version + 1 },
    ];
    const before = await h.table.dump();
    const error = await convoyError(h.store.environments.commit({ ...change, guards }));
    expect(error.code).toBe('conflict');
    expect(error.context.failedGuards).toEqual([1]);
    expect(error.context.head).toBeUndefined();
    expect(await h.table.dump()).toEqual(before);

    const committed = await h.store.environments.commit({ ...change, guards: guards.slice(0, 1) });
    expect(committed.head.version).toBe(head.version + 1);
  });

  it('refuses an incoherent change before writing anything', async () => {
    const head = await requireHead(h.store, 'dev');
    const change = await prepareDeploy(h.store, head, sealedBundle('c', '1', { 'payments.c.x': 1 }));
    const wrongVersion = { ...change, deployment: { ...change.deployment, headVersion: head.version + 2 } };
    const error = await convoyError(h.store.environments.commit(wrongVersion));
    expect(error.code).toBe('internal');
    expect(error.message).not.toMatch(/headVersion/);
    expect((error.cause as Error).message).toMatch(/headVersion/);
  });

  it('answers not-found for an environment without a HEAD', async () => {
    const head = {
      environment: 'qa',
      version: 0,
      snapshot: snapshotHash(emptySnapshot()),
      audit: chainStart,
    };
    const change = await prepareDeploy(h.store, head, sealedBundle('d', '1', { 'payments.d.x': 1 }));
    const error = await convoyError(h.store.environments.commit(change));
    expect(error.code).toBe('not-found');
    expect(await itemsOfType(h.table, itemTypes.deployment, keys.envPartition('qa'))).toEqual([]);
  });
});
