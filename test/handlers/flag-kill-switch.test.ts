import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { KillSwitchDeps } from '#app/flags/kill-switch.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { killCatalogDocument, killFlagsBundle } from '../support/flag-ops.ts';

const env = '/environments/prod-eu';
/** A hard freeze that lets the kill switch through (1 Dec), and one that does not (5 Dec). */
const windows = [
  {
    id: 'launch-freeze',
    name: 'Launch freeze',
    scope: { environments: ['prod-*'] },
    schedule: { start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z' },
    level: 'hard',
    allow: ['flag-kill-switch'],
  },
  {
    id: 'total-freeze',
    name: 'Total freeze',
    scope: { environments: ['prod-*'] },
    schedule: { start: '2026-12-05T00:00:00Z', end: '2026-12-06T00:00:00Z' },
    level: 'hard',
  },
];

describe('flag kill switch through the handlers (DynamoDB Local)', () => {
  let api: TestApi;
  const onFlagKilled = vi.fn(async () => {});
  const at = (iso: string) => (api.clock.now = new Date(iso));
  const flip = (
    action: string,
    body: unknown,
    headers: Record<string, string> = {},
    key = 'checkout.newFlow',
  ) => api.call('POST', `${env}/flags/${key}/${action}`, { body, headers });
  const served = async (key = 'checkout.newFlow') =>
    (await api.call('POST', `${env}/ofrep/v1/evaluate/flags/${key}`, { body: { context: {} } })).json;
  const state = async () => ({
    environments: (await api.call('GET', '/environments')).json,
    deployments: (await api.call('GET', `${env}/deployments`)).json,
    audit: (await api.call('GET', '/audit?env=prod-eu')).json.events.length,
  });

  beforeAll(async () => {
    api = await createTestApi();
    (api.deps as KillSwitchDeps).onFlagKilled = onFlagKilled;
    expect((await api.call('PUT', '/catalog', { body: killCatalogDocument() })).status).toBe(200);
    expect((await api.call('POST', '/bundles', { body: killFlagsBundle })).status).toBe(201);
    expect((await api.call('POST', `${env}/deployments`, { body: { bundle: 'kill-flags@1' } })).status).toBe(
      201,
    );
    for (const window of windows)
      expect((await api.call('POST', '/freezes', { body: window })).status).toBe(201);
  });

  it('kills during a freeze that allows the kill switch: one commit, only that flag changed, audited', async () => {
    at('2026-12-01T10:00:00Z');
    const config = (await api.call('GET', `${env}/config`)).text;
    const res = await flip('kill', { reason: 'checkout errors' }, { 'idempotency-key': 'kill-1' });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ deploymentId: 'dpl-prod-eu-2', head: { version: 2 } });
    expect(await served()).toEqual({
      key: 'checkout.newFlow',
      reason: 'DISABLED',
      variant: 'off',
      value: false,
    });
    expect(await served('checkout.express')).toMatchObject({ variant: 'on' });
    expect((await api.call('GET', `${env}/config`)).text).toBe(config);
    const [record] = (await api.call('GET', `${env}/deployments`)).json.deployments;
    expect(record).toMatchObject({
      kind: 'flag-kill-switch',
      flag: { key: 'checkout.newFlow', killed: true, reason: 'checkout errors' },
      principal: 'olivia',
    });
    const events = (await api.call('GET', '/audit?env=prod-eu')).json.events as { type: string }[];
    expect(events.at(-1)).toMatchObject({
      type: 'FlagKillSwitched',
      detail: {
        flag: 'checkout.newFlow',
        killed: true,
        reason: 'checkout errors',
        deploymentId: 'dpl-prod-eu-2',
      },
    });
    expect(onFlagKilled).toHaveBeenCalledWith({
      environment: 'prod-eu',
      flag: 'checkout.newFlow',
      reason: 'checkout errors',
      at: new Date('2026-12-01T10:00:00Z'),
    });
  });

  it('an idempotent retry answers the original commit; the same key for another request is refused', async () => {
    const before = await state();
    const again = await flip('kill', { reason: 'checkout errors' }, { 'idempotency-key': 'kill-1' });
    expect([again.status, again.json.deploymentId]).toEqual([201, 'dpl-prod-eu-2']);
    const other = await flip('kill', { reason: 'another reason' }, { 'idempotency-key': 'kill-1' });
    expect(other.status).toBe(422);
    expect(await state()).toEqual(before);
  });

  it('a repeated kill (and an unkill of a live flag) succeeds as a no-op: 200 unchanged, the table as it was', async () => {
    onFlagKilled.mockClear();
    const table = await api.table.dump();
    const repeated = await flip('kill', { reason: 'still failing' });
    expect(repeated.status, repeated.text).toBe(200);
    expect(repeated.json).toEqual({
      unchanged: true,
      environment: 'prod-eu',
      flag: { key: 'checkout.newFlow', killed: true },
      head: { version: 2, snapshot: expect.any(String) },
      deploymentId: 'dpl-prod-eu-2',
    });
    expect(repeated.headers.etag).toBe('"2"');
    const keyed = await flip('kill', { reason: 'still failing' }, { 'idempotency-key': 'kill-again' });
    expect([keyed.status, keyed.json.unchanged]).toEqual([200, true]);
    const live = await flip('unkill', { reason: 'fine' }, {}, 'checkout.express');
    expect([live.status, live.json.flag]).toEqual([200, { key: 'checkout.express', killed: false }]);
    expect(await api.table.dump()).toEqual(table);
    expect(onFlagKilled).not.toHaveBeenCalled();
  });

  it.each([
    ['no reason', 'kill', {}, 422, 'body.reason'],
    ['a blank reason', 'kill', { reason: '  ' }, 422, 'body.reason'],
    ['an unknown field', 'kill', { reason: 'x', force: true }, 422, 'body.force'],
    ['an unknown action', 'explode', { reason: 'x' }, 400, 'path.action'],
  ])('refuses %s with a 4xx naming the field, writing nothing', async (_l, action, body, status, path) => {
    const before = await state();
    const res = await flip(action, body, {}, 'checkout.express');
    expect(res.status).toBe(status);
    expect(res.json.problems[0].path).toBe(path);
    expect(await state()).toEqual(before);
  });

  it('refuses an unknown flag (404) and a caller who may not deploy (403), writing nothing', async () => {
    const before = await state();
    expect((await flip('kill', { reason: 'x' }, {}, 'checkout.ghost')).status).toBe(404);
    const viewer = await api.call('POST', `${env}/flags/checkout.express/kill`, {
      body: { reason: 'x' },
      as: 'vera',
    });
    expect(viewer.status).toBe(403);
    expect(await state()).toEqual(before);
  });

  it('refuses an unkill during a freeze that does not allow the kill switch, naming the freeze', async () => {
    at('2026-12-05T10:00:00Z');
    const before = await state();
    const res = await flip('unkill', { reason: 'fixed' });
    expect(res.status).toBe(423);
    expect(res.json).toMatchObject({
      kind: 'flag-kill-switch',
      level: 'hard',
      windows: [{ id: 'total-freeze', name: 'Total freeze' }],
    });
    expect(await served()).toMatchObject({ reason: 'DISABLED' });
    expect((await api.call('GET', `${env}/deployments`)).json).toEqual(before.deployments);
  });

  it('unkills once the freeze is over, without telling onFlagKilled', async () => {
    at('2026-12-07T10:00:00Z');
    onFlagKilled.mockClear();
    const res = await flip('unkill', { reason: 'fixed in checkout-api 2.4.1' });
    expect(res.status, res.text).toBe(201);
    expect(await served()).toMatchObject({ reason: 'STATIC', variant: 'on' });
    expect(onFlagKilled).not.toHaveBeenCalled();
  });

  it('a failing onFlagKilled does not turn a committed kill into a failure', async () => {
    onFlagKilled.mockRejectedValueOnce(new Error('rollout store down'));
    const res = await flip('kill', { reason: 'again' }, {}, 'checkout.express');
    expect(res.status).toBe(201);
    expect(await served('checkout.express')).toMatchObject({ reason: 'DISABLED' });
  });

  it('the compliance report lists the kill made while the freeze applied, as allowed by its kind', async () => {
    const res = await api.call(
      'GET',
      '/reports/freeze-compliance?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z',
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.changes).toEqual([
      expect.objectContaining({
        kind: 'flag-kill-switch',
        deploymentId: 'dpl-prod-eu-2',
        namespaces: ['checkout'],
        explained: true,
        explanation: 'permitted by launch-freeze (flag-kill-switch allowed)',
      }),
    ]);
  });

  it('an on-call member of the owning team kills without the deploy right; another team gets 403 naming the owner, nothing written', async () => {
    at('2026-12-08T10:00:00Z');
    const deploy = await api.call('POST', `${env}/deployments`, {
      body: { bundle: 'kill-flags@1' },
      as: 'priya',
    });
    expect(deploy.status).toBe(403);
    const table = await api.table.dump();
    const foreign = await api.call('POST', `${env}/flags/checkout.newFlow/kill`, {
      body: { reason: 'x' },
      as: 'ivan',
    });
    expect(foreign.status).toBe(403);
    expect(foreign.json.detail).toContain('flag checkout.newFlow belongs to team payments');
    expect(await api.table.dump()).toEqual(table);
    const own = await api.call('POST', `${env}/flags/checkout.newFlow/kill`, {
      body: { reason: 'paged: checkout errors' },
      as: 'priya',
    });
    expect(own.status, own.text).toBe(201);
    expect(await served()).toMatchObject({ reason: 'DISABLED', variant: 'off' });
    const [record] = (await api.call('GET', `${env}/deployments`)).json.deployments;
    expect(record).toMatchObject({
      id: own.json.deploymentId,
      kind: 'flag-kill-switch',
      flag: { key: 'checkout.newFlow', killed: true },
      principal: 'priya',
    });
    const unkilled = await api.call('POST', `${env}/flags/checkout.newFlow/unkill`, {
      body: { reason: 'fixed' },
      as: 'priya',
    });
    expect(unkilled.status, unkilled.text).toBe(201);
  });
});
