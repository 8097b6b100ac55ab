import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';
import { at, seedFreezeWorld, yearEnd } from '../support/freeze.ts';

/**
 * Symptom (issue 10, item 7): a pipeline retrying a frozen deploy wrote one `ChangeRejected` event per
 * attempt, burying the `_freeze` chain in identical refusals. The same refusal (principal, change and
 * reason) within a minute is now one event with a count; the count lives on a counter item beside the
 * hash-chained event, so `audit verify` still passes.
 */
interface Listed {
  chain: string;
  seq: number;
  type: string;
  actor: string;
  at: string;
  count?: number;
  detail: Record<string, unknown>;
}

describe('regression: repeated refusals flooded the audit chain', () => {
  let api: TestApi;
  const deployProd = (as = 'olivia', body: Record<string, unknown> = {}) =>
    api.call('POST', '/environments/prod-eu/deployments', {
      as,
      body: { bundle: 'checkout-timeouts@3', ...body },
    });
  const rejections = async (): Promise<Listed[]> =>
    ((await api.call('GET', '/audit?limit=1000', { as: 'vera' })).json.events as Listed[]).filter(
      (e) => e.chain === '_freeze' && e.type === 'ChangeRejected',
    );
  const verified = async () => (await api.call('GET', '/audit/verify')).json.ok as boolean;

  beforeAll(async () => {
    api = await createTestApi();
    await seedFreezeWorld(api);
    at(api, '2026-12-01T09:00:00Z');
    expect((await api.call('POST', '/freezes', { body: yearEnd })).status).toBe(201);
  });

  it('counts 5 identical refused deploys within a minute on one event, and the chain verifies', async () => {
    for (const second of ['00.000', '10.000', '20.000', '30.000', '59.999']) {
      at(api, `2026-12-21T10:00:${second}Z`);
      expect((await deployProd()).status).toBe(423);
    }
    const events = await rejections();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: 'olivia',
      at: '2026-12-21T10:00:00.000Z',
      count: 5,
      detail: { kind: 'deploy', bundle: 'checkout-timeouts@3', code: 'freeze.frozen' },
    });
    expect(await verified()).toBe(true);
  });

  it('records another principal, another reason, or the next minute as a new event', async () => {
    at(api, '2026-12-21T10:00:40Z');
    expect((await deployProd('rita')).status).toBe(423);
    // An override that is not approved yet: refused for another reason (403 override.not-approved).
    const requested = await api.call('POST', '/overrides', {
      body: {
        environment: 'prod-eu',
        bundle: 'checkout-timeouts@3',
        reason: 'Gateway timeouts are failing 4% of checkouts',
        ticket: 'INC-4711',
      },
    });
    expect(requested.status).toBe(201);
    const refused = await deployProd('olivia', { override: requested.json.id });
    expect(refused.status).toBe(403);
    at(api, '2026-12-21T10:01:00Z');
    expect((await deployProd()).status).toBe(423);

    const events = await rejections();
    expect(events.map((e) => [e.actor, e.detail.code, e.count])).toEqual([
      ['olivia', 'freeze.frozen', 5],
      ['rita', 'freeze.frozen', 1],
      ['olivia', refused.json.reason, 1],
      ['olivia', 'freeze.frozen', 1],
    ]);
    expect(await verified()).toBe(true);
  });

  it('writes one event for identical refusals recorded at the same instant, and counts them all', async () => {
    const rejection = {
      at: '2026-12-21T11:00:00.000Z',
      environment: 'prod-us',
      kind: 'deploy' as const,
      principal: 'ray',
      bundle: 'identity-session@2',
      windows: ['year-end'],
      code: 'freeze.frozen',
      reason: 'prod-us is frozen',
    };
    await Promise.all(Array.from({ length: 5 }, () => api.store.freezes.recordRejection(rejection)));
    const events = (await rejections()).filter((e) => e.actor === 'ray');
    expect(events).toHaveLength(1);
    expect(events[0]?.count).toBe(5);
    expect(await verified()).toBe(true);
  });
});
