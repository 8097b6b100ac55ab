import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';

/**
 * Symptom (issue 10, item 3): under load, two concurrent identical rollbacks without an
 * Idempotency-Key both got 201 with the same deploymentId for one commit. Their transactions were
 * identical (same HEAD, principal and instant) and so was the ClientRequestToken derived from them:
 * DynamoDB answered the second as a retry of the first. Requests without a key never merge: exactly one
 * wins, every other one is 409 with the current HEAD.
 */
const CONCURRENT = 20;

const conc = (version: string, timeoutMs: number) => ({
  name: 'conc',
  version,
  release: '2026.12-R1',
  team: 'payments',
  changes: [{ set: 'payments.checkout.timeoutMs', value: timeoutMs }],
});

describe('regression: concurrent keyless rollbacks shared one deployment', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
    for (const [bundle, version] of [
      [conc('7', 2500), 'conc@7'],
      [conc('9', 3000), 'conc@9'],
    ] as const) {
      expect((await api.call('POST', '/bundles', { body: bundle })).status).toBe(201);
      const res = await api.call('POST', '/environments/dev/deployments', { body: { bundle: version } });
      expect(res.status).toBe(201);
    }
    // Every request computes its rollback against HEAD 2 before any of them commits: the first
    // CONCURRENT TransactWriteItems calls are held until all of them were sent.
    let waiting = 0;
    let release: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => {
      release = resolve;
    });
    api.doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && waiting < CONCURRENT) {
          waiting += 1;
          if (waiting === CONCURRENT) release();
          await barrier;
        }
        return next(args);
      },
      { step: 'initialize', name: 'hold-first-transactions' },
    );
  });

  it('lets exactly one rollback through; the others get 409 with the current HEAD', async () => {
    const responses = await Promise.all(
      Array.from({ length: CONCURRENT }, () => api.call('POST', '/environments/dev/rollback', { body: {} })),
    );
    const created = responses.filter((r) => r.status === 201);
    const conflicts = responses.filter((r) => r.status === 409);
    expect(created).toHaveLength(1);
    expect(conflicts).toHaveLength(CONCURRENT - 1);
    expect(created[0]?.json).toMatchObject({ deploymentId: 'dpl-dev-3', rolledBackTo: 'dpl-dev-1' });
    for (const conflict of conflicts) {
      expect(conflict.json).toMatchObject({ code: 'conflict', head: { version: 3 } });
    }

    expect(await api.store.environments.getHead('dev')).toMatchObject({ version: 3 });
    const history = (await api.call('GET', '/environments/dev/deployments')).json.deployments as {
      id: string;
    }[];
    // HEAD moved once, and no deployment id was given twice.
    expect(history.map((d) => d.id)).toEqual(['dpl-dev-3', 'dpl-dev-2', 'dpl-dev-1']);
    expect((await api.call('GET', '/audit/verify')).json.ok).toBe(true);
  });
});
