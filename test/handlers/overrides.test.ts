import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConvoyStore } from '#store/convoy-store.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { at, freezeEventsOf, pushHotfix, seedFreezeWorld, yearEnd } from '../support/freeze.ts';

const hotfixRequest = (extra: Record<string, unknown> = {}) => ({
  environment: 'prod-eu',
  bundle: 'checkout-hotfix@1',
  reason: 'card payments time out at checkout',
  ticket: 'INC-42',
  ...extra,
});

describe('override routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    await seedFreezeWorld(api);
    await pushHotfix(api, 1);
    await pushHotfix(api, 1, 'identity');
    at(api, '2026-11-23T10:00:00Z');
    expect((await api.call('POST', '/freezes', { body: yearEnd })).status).toBe(201);
  });
  beforeEach(() => {
    at(api, '2026-12-21T10:00:00Z');
    api.integrations.reset();
  });

  const request = async (body: Record<string, unknown> = hotfixRequest(), as = 'olivia') => {
    const res = await api.call('POST', '/overrides', { as, body });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  };

  it('records a request routed to the owners of the touched namespaces and the release managers, and starts its workflow', async () => {
    const res = await api.call('POST', '/overrides', { body: hotfixRequest() });
    expect(res.status).toBe(201);
    const id = res.json.id as string;
    expect(id).toMatch(/^ovr-[0-9a-f]{12}$/);
    expect(res.json).toEqual({
      id,
      status: 'pending',
      environment: 'prod-eu',
      bundle: 'checkout-hotfix@1',
      reason: 'card payments time out at checkout',
      ticket: 'INC-42',
      requestedDuration: 'PT2H',
      reusable: false,
      requester: 'olivia',
      requestedAt: '2026-12-21T10:00:00.000Z',
      decideBy: '2026-12-22T10:00:00.000Z',
      level: 'hard',
      namespaces: ['payments'],
      approverRoles: ['team:payments', 'release-manager'],
      approvalsRequired: 2,
      approvals: [],
      uses: [],
    });
    expect(api.integrations.started).toEqual([
      { workflow: 'override-approval', name: id, input: { overrideId: id, decisionTimeoutSeconds: 86400 } },
    ]);
    expect((await freezeEventsOf(api, 'OverrideRequested')).at(-1)).toMatchObject({
      actor: 'olivia',
      subject: id,
      detail: { ticket: 'INC-42', approvalsRequired: 2, level: 'hard' },
    });
    expect((await api.call('GET', `/overrides/${id}`, { as: 'vera' })).json).toEqual(res.json);
  });

  it('counts one principal once, never the requester, and approves at the required count with its time box', async () => {
    const id = await request();
    await api.store.overrides.setTaskToken(id, 'token-1');
    const first = await api.call('POST', `/overrides/${id}/approve`, {
      as: 'paula',
      body: { comment: 'checked the diff' },
    });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      status: 'pending',
      approvals: [{ by: 'paula', at: '2026-12-21T10:00:00.000Z' }],
    });
    expect(api.integrations.resumed).toEqual([
      { token: 'token-1', output: { overrideId: id, status: 'pending', expiresAt: null } },
    ]);
    const twice = await api.call('POST', `/overrides/${id}/approve`, { as: 'paula' });
    expect([twice.status, twice.json.reason]).toEqual([409, 'override.already-approved']);
    const self = await api.call('POST', `/overrides/${id}/approve`, { as: 'olivia' });
    expect([self.status, self.json.reason]).toEqual([403, 'override.self-approval']);

    at(api, '2026-12-21T10:30:00Z');
    const second = await api.call('POST', `/overrides/${id}/approve`, { as: 'rita' });
    expect(second.json).toMatchObject({
      status: 'approved',
      approvedAt: '2026-12-21T10:30:00.000Z',
      expiresAt: '2026-12-21T12:30:00.000Z',
    });
    expect(api.integrations.resumed.at(-1)).toEqual({
      token: 'token-1',
      output: { overrideId: id, status: 'approved', expiresAt: '2026-12-21T12:30:00.000Z' },
    });
    const late = await api.call('POST', `/overrides/${id}/approve`, { as: 'priya' });
    expect([late.status, late.json.reason]).toEqual([409, 'override.not-pending']);
    const types = (await api.store.audit.listEvents({ chain: '_freeze' }))
      .filter((e) => e.subject === id)
      .map((e) => e.type);
    expect(types).toEqual(['OverrideRequested', 'OverrideDecisionRecorded', 'OverrideApproved']);
  });

  it('retries a decision that lost a race with another write of the override', async () => {
    const id = await request();
    const other = createConvoyStore({ doc: api.table.doc, tableName: api.table.tableName });
    let raced = false;
    const name = 'override-race';
    api.doc.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { TransactItems?: { Update?: { Key?: { pk?: string } } }[] };
        const touches = (input.TransactItems ?? []).some((i) => i.Update?.Key?.pk === `OVERRIDE#${id}`);
        if (context.commandName === 'TransactWriteItemsCommand' && touches && !raced) {
          raced = true;
          const stored = await other.overrides.get(id);
          if (!stored) throw new Error('missing');
          const draft = {
            type: 'OverrideDecisionRecorded',
            at: '2026-12-21T10:00:00.000Z',
            actor: 'paula',
            subject: id,
            detail: {},
          };
          await other.overrides.update(
            { ...stored.override, approvals: [{ by: 'paula', at: '2026-12-21T10:00:00.000Z' }] },
            stored.revision,
            draft,
          );
        }
        return next(args);
      },
      { step: 'initialize', name },
    );
    const res = await api.call('POST', `/overrides/${id}/approve`, { as: 'rita' });
    api.doc.middlewareStack.remove(name);
    expect(raced).toBe(true);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'approved', approvals: [{ by: 'paula' }, { by: 'rita' }] });
  });

  it('ends a request with a rejection, which names who and why', async () => {
    const id = await request();
    const res = await api.call('POST', `/overrides/${id}/reject`, {
      as: 'rita',
      body: { reason: 'wait for the fix in staging' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      status: 'rejected',
      rejection: { by: 'rita', at: '2026-12-21T10:00:00.000Z', comment: 'wait for the fix in staging' },
    });
    const after = await api.call('POST', `/overrides/${id}/approve`, { as: 'paula' });
    expect([after.status, after.json.reason]).toEqual([409, 'override.not-pending']);
    expect((await freezeEventsOf(api, 'OverrideRejected')).at(-1)).toMatchObject({
      subject: id,
      actor: 'rita',
    });
  });

  it('lets the requester withdraw the request', async () => {
    const id = await request();
    const res = await api.call('POST', `/overrides/${id}/reject`, { body: { reason: 'no longer needed' } });
    expect([res.status, res.json.status]).toEqual([200, 'rejected']);
  });

  it('expires a request nobody decided in time, records it, and refuses late decisions', async () => {
    const id = await request();
    at(api, '2026-12-22T10:00:01Z');
    expect((await api.call('GET', `/overrides/${id}`)).json.status).toBe('expired');
    const late = await api.call('POST', `/overrides/${id}/approve`, { as: 'rita' });
    expect([late.status, late.json.reason]).toEqual([409, 'override.not-pending']);
    expect((await api.store.overrides.get(id))?.override).toMatchObject({
      status: 'expired',
      expiredAt: '2026-12-22T10:00:00.000Z',
    });
    expect((await freezeEventsOf(api, 'OverrideExpired')).at(-1)?.subject).toBe(id);
  });

  it('still records the request when the workflow engine is down (decisions come through the API)', async () => {
    api.integrations.failing.add('workflows');
    const id = await request();
    await api.store.overrides.setTaskToken(id, 'token-2');
    const res = await api.call('POST', `/overrides/${id}/approve`, { as: 'rita' });
    expect(res.status).toBe(200);
    expect(api.integrations.started).toEqual([]);
  });

  it('lists overrides newest first, as they stand now, by status and environment', async () => {
    at(api, '2026-12-23T10:00:00Z');
    const us = await request(hotfixRequest({ environment: 'prod-us' }));
    const all = (await api.call('GET', '/overrides', { as: 'vera' })).json.overrides;
    expect(all[0].id).toBe(us);
    expect(all.length).toBeGreaterThan(3);
    const pending = (await api.call('GET', '/overrides?status=pending')).json.overrides;
    expect(pending.map((o: { id: string }) => o.id)).toEqual([us]);
    const byEnv = (await api.call('GET', '/overrides?environment=prod-us')).json.overrides;
    expect(byEnv.map((o: { id: string }) => o.id)).toEqual([us]);
    expect((await api.call('GET', '/overrides?status=maybe')).status).toBe(400);
    expect((await api.call('GET', '/overrides/ovr-000000000000')).status).toBe(404);
  });

  it.each([
    ['no reason', hotfixRequest({ reason: undefined }), 422, 'body.reason'],
    ['a reason too short to act on', hotfixRequest({ reason: 'pls' }), 422, 'body.reason'],
    ['both a bundle and change kinds', hotfixRequest({ changeKinds: ['rollback'] }), 422, 'body.bundle'],
    [
      'a time box over 24 hours',
      hotfixRequest({ requestedDuration: 'PT25H' }),
      422,
      'body.requestedDuration',
    ],
    ['an unknown field', hotfixRequest({ urgent: true }), 422, 'body.urgent'],
    [
      'fewer approvals than the level needs',
      hotfixRequest({ approvalsRequired: 0 }),
      422,
      'body.approvalsRequired',
    ],
    ['more approvals than there are approvers', hotfixRequest({ approvalsRequired: 9 }), 422, undefined],
    ['an unknown environment', hotfixRequest({ environment: 'moon' }), 404, undefined],
    ['an unpushed bundle', hotfixRequest({ bundle: 'ghost@1' }), 404, undefined],
  ])('refuses a request with %s, writing nothing', async (_label, body, status, path) => {
    const before = await api.table.dump();
    const res = await api.call('POST', '/overrides', { body });
    expect(res.status).toBe(status);
    if (path !== undefined) expect(res.json.problems.map((p: { path: string }) => p.path)).toContain(path);
    expect(await api.table.dump()).toEqual(before);
    expect(api.integrations.started).toEqual([]);
  });

  it.each([
    ['a reject without a reason', 'reject', {}, 422],
    ['an approval with an unknown field', 'approve', { verdict: 'yes' }, 422],
    ['an unknown override', 'approve', undefined, 404],
  ])('refuses %s, writing nothing', async (_label, verdict, body, status) => {
    const id = status === 404 ? 'ovr-000000000000' : await request();
    const before = await api.table.dump();
    const res = await api.call('POST', `/overrides/${id}/${verdict}`, {
      as: 'rita',
      ...(body === undefined ? {} : { body }),
    });
    expect(res.status).toBe(status);
    expect(await api.table.dump()).toEqual(before);
  });
});

describe('freeze and override authorization over HTTP', () => {
  let api: TestApi;
  let pending: string;
  beforeAll(async () => {
    api = await createTestApi();
    await seedFreezeWorld(api);
    await pushHotfix(api, 1);
    await pushHotfix(api, 1, 'identity');
    at(api, '2026-12-21T10:00:00Z');
    pending = (await api.call('POST', '/overrides', { as: 'priya', body: hotfixRequest() })).json
      .id as string;
  });

  const window = (id: string) => ({ ...yearEnd, id });

  it.each([
    // Release managers manage windows; nobody else does.
    ['olivia', 'POST', '/freezes', window('w-olivia'), 201],
    ['rita', 'POST', '/freezes', window('w-rita'), 201],
    ['priya', 'POST', '/freezes', window('w-priya'), 403],
    ['ivan', 'POST', '/freezes', window('w-ivan'), 403],
    ['alex', 'POST', '/freezes', window('w-alex'), 403],
    ['vera', 'POST', '/freezes', window('w-vera'), 403],
    ['stranger', 'POST', '/freezes', window('w-stranger'), 403],
    ['priya', 'DELETE', '/freezes/w-olivia', undefined, 403],
    ['rita', 'DELETE', '/freezes/w-olivia', undefined, 200],
    // Anyone with a role reads the calendar and its status.
    ['vera', 'GET', '/freezes', undefined, 200],
    ['alex', 'GET', '/environments/prod-eu/freeze-status', undefined, 200],
    ['stranger', 'GET', '/freezes', undefined, 403],
    // A team requests overrides for its own namespaces; release managers for anything.
    ['paula', 'POST', '/overrides', hotfixRequest(), 201],
    ['ivan', 'POST', '/overrides', hotfixRequest(), 403],
    ['ivan', 'POST', '/overrides', hotfixRequest({ bundle: 'session-hotfix@1' }), 201],
    ['priya', 'POST', '/overrides', hotfixRequest({ bundle: undefined, changeKinds: ['rollback'] }), 403],
    ['rita', 'POST', '/overrides', hotfixRequest({ bundle: undefined, changeKinds: ['rollback'] }), 201],
    ['vera', 'POST', '/overrides', hotfixRequest(), 403],
    ['alex', 'POST', '/overrides', hotfixRequest(), 403],
    ['stranger', 'POST', '/overrides', hotfixRequest(), 403],
    // Deciding is for the routed approvers, never the requester.
    ['priya', 'POST', '/overrides/{pending}/approve', undefined, 403],
    ['ivan', 'POST', '/overrides/{pending}/approve', undefined, 403],
    ['alex', 'POST', '/overrides/{pending}/approve', undefined, 403],
    ['vera', 'POST', '/overrides/{pending}/reject', { reason: 'no' }, 403],
    ['stranger', 'POST', '/overrides/{pending}/approve', undefined, 403],
    ['paula', 'POST', '/overrides/{pending}/approve', undefined, 200],
    ['olivia', 'POST', '/overrides/{pending}/approve', undefined, 200],
  ])('%s %s %s → %i', async (as, method, url, body, status) => {
    const before = await api.table.dump();
    const res = await api.call(method, url.replace('{pending}', pending), {
      as,
      ...(body === undefined ? {} : { body }),
    });
    expect(res.status, res.text).toBe(status);
    if (status === 403) {
      expect(res.json.code).toBe('forbidden');
      expect(await api.table.dump()).toEqual(before);
    }
  });

  it('shows the self-approval refusal with its reason', async () => {
    const id = (await api.call('POST', '/overrides', { as: 'rita', body: hotfixRequest() })).json
      .id as string;
    const res = await api.call('POST', `/overrides/${id}/approve`, { as: 'rita' });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ code: 'forbidden', reason: 'override.self-approval', overrideId: id });
    expect(res.json.detail).toBe('the requester of an override can never approve it');
  });
});
