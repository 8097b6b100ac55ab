import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#store/keys.ts';
import { checkoutTimeouts } from '../fixtures/bundles.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

/**
 * Symptom (issue 10, item 7): team identity pushed `checkout-timeouts@98` and it was accepted; a deploy
 * of it then replaced payments' `checkout-timeouts@3` in dev. A bundle name belongs to the team that
 * first pushed it: another team's push is 403, and the refusal writes nothing.
 */
const hijack = (version: string) => ({
  name: 'checkout-timeouts',
  version,
  release: '2026.12-R1',
  team: 'identity',
  changes: [{ set: 'identity.session.ttlSeconds', value: 60 }],
});

describe('regression: another team hijacked a bundle name', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
    const reported = await api.call('PUT', '/environments/dev/services/checkout-api', {
      as: 'priya',
      body: { version: '2.4.0' },
    });
    expect(reported.status).toBe(200);
    expect((await api.call('POST', '/bundles', { as: 'priya', body: checkoutTimeouts })).status).toBe(201);
    const deployed = await api.call('POST', '/environments/dev/deployments', {
      body: { bundle: 'checkout-timeouts@3' },
    });
    expect(deployed.status).toBe(201);
  });

  it.each([
    ['a member of another team', 'ivan'],
    ['a release manager, for another team', 'olivia'],
  ])('refuses the name to %s with 403, writing nothing', async (_label, as) => {
    const before = await api.table.dump();
    const res = await api.call('POST', '/bundles', { as, body: hijack('98') });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({
      code: 'forbidden',
      owner: 'payments',
      team: 'identity',
      bundle: 'checkout-timeouts@98',
      problems: [{ code: 'bundle.name-owned', path: 'name' }],
    });
    expect(await api.table.dump()).toEqual(before);
    const deploy = await api.call('POST', '/environments/dev/deployments', {
      body: { bundle: 'checkout-timeouts@98' },
    });
    expect(deploy.status).toBe(404);
  });

  it('still lets the owning team push new versions of its name', async () => {
    const res = await api.call('POST', '/bundles', {
      as: 'priya',
      body: { ...checkoutTimeouts, version: '4', requires: [] },
    });
    expect(res.status).toBe(201);
  });

  it('knows the owner of a name pushed before names had owner items', async () => {
    await api.doc.send(
      new DeleteCommand({ TableName: api.table.tableName, Key: keys.bundleOwner('checkout-timeouts') }),
    );
    const before = await api.table.dump();
    const res = await api.call('POST', '/bundles', { as: 'ivan', body: hijack('99') });
    expect(res.status).toBe(403);
    expect(res.json.owner).toBe('payments');
    expect(await api.table.dump()).toEqual(before);
  });

  it('gives a new name to exactly one of two teams pushing it at the same time', async () => {
    // Both pushes read "no owner" before either transaction is sent: the owner item's condition decides.
    let waiting = 0;
    let release: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => {
      release = resolve;
    });
    api.doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && waiting < 2) {
          waiting += 1;
          if (waiting === 2) release();
          await barrier;
        }
        return next(args);
      },
      { step: 'initialize', name: 'hold-two-pushes' },
    );
    const contested = { name: 'shared-name', version: '1', release: '2026.12-R1' };
    const [payments, identity] = await Promise.all([
      api.call('POST', '/bundles', {
        as: 'priya',
        body: {
          ...contested,
          team: 'payments',
          changes: [{ set: 'payments.checkout.timeoutMs', value: 900 }],
        },
      }),
      api.call('POST', '/bundles', {
        as: 'ivan',
        body: {
          ...contested,
          team: 'identity',
          changes: [{ set: 'identity.session.ttlSeconds', value: 90 }],
        },
      }),
    ]);
    api.doc.middlewareStack.remove('hold-two-pushes');
    expect([payments.status, identity.status].sort()).toEqual([201, 403]);
    const [loser] = [payments, identity].filter((r) => r.status === 403);
    expect(loser?.json.code).toBe('forbidden');
    const listed = (await api.call('GET', '/bundles?name=shared-name')).json.bundles as { team: string }[];
    expect(listed).toHaveLength(1);
    expect((await api.call('GET', '/audit/verify')).json.ok).toBe(true);
  });
});
