import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemTypes, keys } from '#store/keys.ts';
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
  h = await createHarness('store-idem');
  await h.store.catalogs.putCatalog(
    catalogOf(['seq', 'conc', 'reuse', 'late', 'failed', 'expiry', 'keyless']),
    0,
    actor(),
  );
});
afterAll(async () => {
  await h.table.drop();
});

const itemAt = async (key: { pk: string; sk: string }) =>
  (await h.table.doc.send(new GetCommand({ TableName: h.table.tableName, Key: key, ConsistentRead: true })))
    .Item;
const deployments = (env: string) => itemsOfType(h.table, itemTypes.deployment, keys.envPartition(env));

describe('idempotent retries', () => {
  it('returns the original deployment when the same request is retried sequentially', async () => {
    const sealed = sealedBundle('checkout-timeouts', '3', { 'payments.checkout.timeoutMs': 2500 });
    const first = await h.store.environments.commit(
      await prepareDeploy(h.store, await requireHead(h.store, 'seq'), sealed, { idempotencyKey: 'req-1' }),
    );
    // The retry re-reads HEAD (now moved) and recomputes, as a handler would.
    const retried = await h.store.environments.commit(
      await prepareDeploy(h.store, await requireHead(h.store, 'seq'), sealed, {
        idempotencyKey: 'req-1',
        at: '2026-03-01T10:00:05.000Z',
      }),
    );
    expect(retried).toEqual(first);
    expect(await deployments('seq')).toHaveLength(1);
    expect(await h.store.environments.findByIdempotencyKey('seq', 'req-1')).toEqual(first.deployment);
    expect(await h.store.environments.findByIdempotencyKey('seq', 'other')).toBeUndefined();
  });

  it('deploys once when the same request arrives twice at the same time', async () => {
    const sealed = sealedBundle('checkout-timeouts', '3', { 'payments.checkout.timeoutMs': 2500 });
    const head = await requireHead(h.store, 'conc');
    const [a, b] = await Promise.all([
      prepareDeploy(h.store, head, sealed, { idempotencyKey: 'req-2' }),
      prepareDeploy(h.store, head, sealed, { idempotencyKey: 'req-2', at: '2026-03-01T10:00:00.500Z' }),
    ]);
    const [one, two] = await Promise.all([h.store.environments.commit(a), h.store.environments.commit(b)]);
    expect(one.deployment.id).toBe('dpl-conc-1');
    expect(two.deployment.id).toBe(one.deployment.id);
    expect(two).toEqual(one);
    expect(await deployments('conc')).toHaveLength(1);
    expect(await itemsOfType(h.table, itemTypes.audit, keys.auditPartition('conc'))).toHaveLength(1);
  });

  it('rejects the same key with a different request as idempotency.mismatch', async () => {
    const head = await requireHead(h.store, 'reuse');
    await h.store.environments.commit(
      await prepareDeploy(h.store, head, sealedBundle('a', '1', { 'payments.a.x': 1 }), {
        idempotencyKey: 'req-3',
      }),
    );
    const other = await prepareDeploy(
      h.store,
      await requireHead(h.store, 'reuse'),
      sealedBundle('b', '1', { 'payments.b.x': 2 }),
      {
        idempotencyKey: 'req-3',
      },
    );
    const before = await h.table.dump();
    const error = await convoyError(h.store.environments.commit(other));
    expect(error.code).toBe('idempotency.mismatch');
    expect(error.message).toMatch(/^Idempotency-Key req-3 was used for another request/);
    expect(error.problems).toEqual([
      expect.objectContaining({ code: 'idempotency.mismatch', path: 'header.idempotency-key' }),
    ]);
    expect(error.context.deploymentId).toBe('dpl-reuse-1');
    expect(await h.table.dump()).toEqual(before);
    // The same key by another principal is another request too.
    const sealed = sealedBundle('a', '1', { 'payments.a.x': 1 });
    const byPaul = await prepareDeploy(h.store, await requireHead(h.store, 'reuse'), sealed, {
      idempotencyKey: 'req-3',
      principal: 'paul',
    });
    expect((await convoyError(h.store.environments.commit(byPaul))).code).toBe('idempotency.mismatch');
    expect(await h.table.dump()).toEqual(before);
  });

  it('binds a key for 24 hours: replayed within them, new after them', async () => {
    const sealed = sealedBundle('a', '1', { 'payments.a.x': 1 });
    const first = await h.store.environments.commit(
      await prepareDeploy(h.store, await requireHead(h.store, 'expiry'), sealed, { idempotencyKey: 'k' }),
    );
    const entry = await itemAt(keys.idempotency('expiry', 'k'));
    expect(entry).toMatchObject({
      createdAt: '2026-03-01T10:00:00.000Z',
      expiresAt: Date.parse('2026-03-02T10:00:00.000Z') / 1000,
    });
    const request = { requestHash: String(entry?.requestHash), at: '2026-03-02T09:59:59.999Z' };
    expect(await h.store.environments.replay('expiry', 'k', request)).toEqual(first);
    expect(await h.store.environments.replay('expiry', 'other', request)).toBeUndefined();
    const later = { ...request, at: '2026-03-02T10:00:00.000Z' };
    expect(await h.store.environments.replay('expiry', 'k', later)).toBeUndefined();
    await expect(
      h.store.environments.replay('expiry', 'k', { ...request, requestHash: 'another' }),
    ).rejects.toMatchObject({ code: 'idempotency.mismatch' });

    // A day later, another request with the key commits (DynamoDB may still remember the token).
    const next = await h.store.environments.commit(
      await prepareDeploy(h.store, await requireHead(h.store, 'expiry'), sealedBundle('b', '1', {}), {
        idempotencyKey: 'k',
        at: '2026-03-02T10:00:01.000Z',
      }),
    );
    expect(next.deployment.id).toBe('dpl-expiry-2');
    expect(await itemAt(keys.idempotency('expiry', 'k'))).toMatchObject({
      deploymentId: 'dpl-expiry-2',
      createdAt: '2026-03-02T10:00:01.000Z',
    });
  });

  it('never merges two identical requests without a key: one commits, the other lost the race', async () => {
    const sealed = sealedBundle('a', '1', { 'payments.a.x': 1 });
    const head = await requireHead(h.store, 'keyless');
    const change = await prepareDeploy(h.store, head, sealed);
    const outcomes = await Promise.allSettled([
      h.store.environments.commit(change),
      h.store.environments.commit(structuredClone(change)),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const lost = outcomes.find((o) => o.status === 'rejected');
    expect(lost?.reason).toMatchObject({ code: 'conflict', context: { head: { version: 1 } } });
    expect(await deployments('keyless')).toHaveLength(1);
  });

  it('still never deploys twice once DynamoDB has forgotten the ClientRequestToken (10-minute window)', async () => {
    const sealed = sealedBundle('checkout-timeouts', '3', { 'payments.checkout.timeoutMs': 2500 });
    const first = await h.store.environments.commit(
      await prepareDeploy(h.store, await requireHead(h.store, 'late'), sealed, { idempotencyKey: 'req-4' }),
    );
    // A client that strips the token behaves exactly like DynamoDB after the window: a brand-new request.
    const forgetful = h.freshClient();
    forgetful.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand') {
          const input = args.input as { ClientRequestToken?: string };
          delete input.ClientRequestToken;
        }
        return next(args);
      },
      { step: 'initialize', name: 'forget-token' },
    );
    const store = h.storeWith(forgetful);
    const retried = await store.environments.commit(
      await prepareDeploy(store, await requireHead(store, 'late'), sealed, {
        idempotencyKey: 'req-4',
        at: '2026-03-01T10:20:00.000Z',
      }),
    );
    expect(retried).toEqual(first);
    expect(await deployments('late')).toHaveLength(1);
    forgetful.destroy();
  });

  it('is not blocked by a token DynamoDB remembers from an attempt that did not commit', async () => {
    // Injected fault: DynamoDB answers the first attempt with IdempotentParameterMismatch, as it would
    // within the window if an earlier, different request had used the token without committing.
    const client = h.freshClient();
    let injected = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && injected === 0) {
          injected += 1;
          throw Object.assign(new Error('token reused'), {
            name: 'IdempotentParameterMismatchException',
            $fault: 'client',
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'mismatch-once' },
    );
    const store = h.storeWith(client);
    const sealed = sealedBundle('checkout-timeouts', '3', { 'payments.checkout.timeoutMs': 2500 });
    const result = await store.environments.commit(
      await prepareDeploy(store, await requireHead(store, 'failed'), sealed, { idempotencyKey: 'req-5' }),
    );
    client.destroy();
    expect(injected).toBe(1);
    expect(result.deployment.id).toBe('dpl-failed-1');
    expect(await h.store.environments.findByIdempotencyKey('failed', 'req-5')).toEqual(result.deployment);
    expect(await deployments('failed')).toHaveLength(1);
  });

  it('refuses an Idempotency-Key that cannot be stored', async () => {
    const change = await prepareDeploy(
      h.store,
      await requireHead(h.store, 'late'),
      sealedBundle('z', '1', { 'payments.z.x': 1 }),
      {
        idempotencyKey: 'x'.repeat(300),
      },
    );
    expect((await convoyError(h.store.environments.commit(change))).code).toBe('bad-request');
  });
});
