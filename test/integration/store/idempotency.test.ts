import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemTypes, keys } from '../../../lib/store/keys.ts';
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
  await h.store.catalogs.putCatalog(catalogOf(['seq', 'conc', 'reuse', 'late', 'failed']), 0, actor());
});
afterAll(async () => {
  await h.table.drop();
});

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

  it('rejects the same key with a different request as a conflict', async () => {
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
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('Idempotency-Key reused with a different request.');
    expect(error.context.deploymentId).toBe('dpl-reuse-1');
    expect(await h.table.dump()).toEqual(before);
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
