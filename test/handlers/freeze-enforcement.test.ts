import { beforeAll, describe, expect, it } from 'vitest';
import { createConvoyStore } from '#store/convoy-store.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import {
  approvedOverride,
  at,
  freezeEventsOf,
  headVersion,
  paymentsLaunch,
  pushHotfix,
  seedFreezeWorld,
  yearEnd,
} from '../support/freeze.ts';

const deploy = (
  api: TestApi,
  env: string,
  bundle: string,
  extra: Record<string, unknown> = {},
  headers = {},
) => api.call('POST', `/environments/${env}/deployments`, { body: { bundle, ...extra }, headers });

interface TransactInput {
  TransactItems?: { Update?: { Key?: { pk?: string; sk?: string } } }[];
}
const flipsHead = (input: unknown, env: string): boolean =>
  ((input as TransactInput).TransactItems ?? []).some(
    (item) => item.Update?.Key?.pk === `ENV#${env}` && item.Update.Key.sk === 'HEAD',
  );

/** Hold the next HEAD flip of `env` until `release()`; `reached` resolves when it is held. */
const holdNextFlip = (api: TestApi, env: string) => {
  let release!: () => void;
  let reachedResolve!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const reached = new Promise<void>((resolve) => (reachedResolve = resolve));
  let armed = true;
  const name = `hold-${env}-${Math.random()}`;
  api.doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (armed && context.commandName === 'TransactWriteItemsCommand' && flipsHead(args.input, env)) {
        armed = false;
        reachedResolve();
        await released;
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { reached, release, done: () => api.doc.middlewareStack.remove(name) };
};

describe('freeze enforcement at commit', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    await seedFreezeWorld(api);
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9]) await pushHotfix(api, n);
    await pushHotfix(api, 1, 'identity');
    for (const window of [yearEnd, paymentsLaunch]) {
      expect((await api.call('POST', '/freezes', { body: window })).status).toBe(201);
    }
    at(api, '2026-11-23T10:00:00Z');
    expect((await deploy(api, 'prod-eu', 'checkout-hotfix@1')).status).toBe(201);
    expect((await deploy(api, 'prod-eu', 'checkout-hotfix@3')).status).toBe(201);
  });

  it('lets a change through when no window applies, without freeze facts', async () => {
    at(api, '2026-11-24T10:00:00Z');
    const res = await deploy(api, 'dev', 'checkout-hotfix@1');
    expect(res.status).toBe(201);
    expect(res.json.overrideId).toBeUndefined();
  });

  it('refuses a deploy during a hard freeze with 423 naming windows, level and the override to request', async () => {
    at(api, '2026-12-21T10:00:00Z');
    const head = await headVersion(api, 'prod-eu');
    const res = await deploy(api, 'prod-eu', 'checkout-hotfix@2');
    expect(res.status).toBe(423);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json).toMatchObject({
      type: 'https://convoy.dev/problems/frozen',
      title: 'Frozen',
      status: 423,
      code: 'frozen',
      environment: 'prod-eu',
      kind: 'deploy',
      level: 'hard',
      windows: [
        {
          id: 'year-end',
          name: 'Year-end freeze',
          level: 'hard',
          start: '2026-12-20T00:00:00.000Z',
          end: '2027-01-04T00:00:00.000Z',
        },
      ],
      howToOverride:
        'convoy override request --env prod-eu --bundle checkout-hotfix@2 --reason "<why this cannot wait>" --ticket <ticket>; once approved, retry with --override <id>',
    });
    expect(res.json.detail).toMatch(
      /^prod-eu is frozen \(hard\) for deploy by Year-end freeze \(year-end, hard/,
    );
    expect(await headVersion(api, 'prod-eu')).toBe(head);
    expect((await freezeEventsOf(api, 'ChangeRejected')).at(-1)).toMatchObject({
      actor: 'olivia',
      subject: 'prod-eu',
      detail: { kind: 'deploy', bundle: 'checkout-hotfix@2', windows: ['year-end'], code: 'freeze.frozen' },
    });
  });

  it('lets environments outside the scope change, and rollbacks through unless a window forbids them', async () => {
    at(api, '2026-12-21T10:00:00Z');
    expect((await deploy(api, 'dev', 'checkout-hotfix@2')).status).toBe(201);
    const rollback = await api.call('POST', '/environments/prod-eu/rollback', { body: {} });
    expect(rollback.status).toBe(201);
    expect(rollback.json.undoes).toBe('dpl-prod-eu-2');
    const strict = {
      ...yearEnd,
      id: 'no-rollback',
      name: 'No rollback',
      scope: { environments: ['prod-eu'] },
      forbidRollback: true,
    };
    expect((await api.call('POST', '/freezes', { body: strict })).status).toBe(201);
    const head = await headVersion(api, 'prod-eu');
    const refused = await api.call('POST', '/environments/prod-eu/rollback', { body: {} });
    expect(refused.status).toBe(423);
    expect(refused.json.windows.map((w: { id: string }) => w.id)).toEqual(['no-rollback']);
    expect(refused.json.howToOverride).toMatch(/^convoy override request --env prod-eu --kind rollback /);
    expect(await headVersion(api, 'prod-eu')).toBe(head);
    expect((await api.call('DELETE', '/freezes/no-rollback')).status).toBe(200);
  });

  it('scopes a namespace window to the changes that touch the namespace; a soft freeze passes with one approval', async () => {
    at(api, '2026-12-01T12:00:00Z');
    expect((await deploy(api, 'prod-eu', 'session-hotfix@1')).status).toBe(201);
    const refused = await deploy(api, 'prod-eu', 'checkout-hotfix@4');
    expect(refused.status).toBe(423);
    expect(refused.json.level).toBe('soft');
    const requested = await api.call('POST', '/overrides', {
      body: {
        environment: 'prod-eu',
        bundle: 'checkout-hotfix@4',
        reason: 'launch needs the new timeout',
        ticket: 'CHG-4',
      },
    });
    expect(requested.json).toMatchObject({ level: 'soft', approvalsRequired: 1 });
    const id = requested.json.id as string;
    expect((await api.call('POST', `/overrides/${id}/approve`, { as: 'paula' })).json.status).toBe(
      'approved',
    );
    const res = await deploy(api, 'prod-eu', 'checkout-hotfix@4', { override: id });
    expect(res.status).toBe(201);
    expect(res.json.overrideId).toBe(id);
    const [event] = (await api.store.audit.listEvents({ chain: 'prod-eu' })).slice(-1);
    expect(event?.detail).toMatchObject({
      overrideId: id,
      windows: ['payments-launch'],
      namespaces: ['payments'],
      teams: ['payments'],
    });
  });

  it('lets a hard freeze pass with an approved emergency override, once', async () => {
    at(api, '2026-12-21T10:00:00Z');
    const id = await approvedOverride(
      api,
      {
        environment: 'prod-eu',
        bundle: 'checkout-hotfix@2',
        reason: 'card payments time out at checkout',
        ticket: 'INC-42',
      },
      { approvers: ['rita', 'paula'] },
    );
    const res = await deploy(api, 'prod-eu', 'checkout-hotfix@2', { override: id });
    expect(res.status).toBe(201);
    expect(res.json.overrideId).toBe(id);
    const used = (await api.call('GET', `/overrides/${id}`)).json;
    expect(used).toMatchObject({
      status: 'used',
      uses: [{ at: '2026-12-21T10:00:00.000Z', deploymentId: res.json.deploymentId }],
    });
    expect((await freezeEventsOf(api, 'OverrideUsed')).at(-1)).toMatchObject({
      subject: id,
      detail: { deploymentId: res.json.deploymentId },
    });

    // Roll back (allowed), then try to use the single-use override again.
    expect((await api.call('POST', '/environments/prod-eu/rollback', { body: {} })).status).toBe(201);
    const head = await headVersion(api, 'prod-eu');
    const reuse = await deploy(api, 'prod-eu', 'checkout-hotfix@2', { override: id });
    expect(reuse.status).toBe(403);
    expect(reuse.json).toMatchObject({
      code: 'forbidden',
      reason: 'override.used',
      overrideId: id,
      level: 'hard',
    });
    expect(reuse.json.detail).toMatch(/already used; it is single-use/);
    expect(await headVersion(api, 'prod-eu')).toBe(head);
    expect((await freezeEventsOf(api, 'ChangeRejected')).at(-1)?.detail).toMatchObject({
      code: 'override.used',
      overrideId: id,
    });
  });

  it('answers a retried request with the same Idempotency-Key with the original deployment', async () => {
    at(api, '2026-12-21T11:00:00Z');
    const id = await approvedOverride(
      api,
      {
        environment: 'prod-us',
        bundle: 'checkout-hotfix@9',
        reason: 'hotfix for the US checkout',
        ticket: 'INC-9',
      },
      { approvers: ['rita', 'paula'] },
    );
    const headers = { 'idempotency-key': 'ci-hotfix-9' };
    const first = await deploy(api, 'prod-us', 'checkout-hotfix@9', { override: id }, headers);
    const again = await deploy(api, 'prod-us', 'checkout-hotfix@9', { override: id }, headers);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.json.deploymentId).toBe(first.json.deploymentId);
  });

  it.each([
    [
      'another bundle',
      { environment: 'prod-eu', bundle: 'checkout-hotfix@5' },
      'checkout-hotfix@6',
      'override.scope-mismatch',
    ],
    [
      'another environment',
      { environment: 'prod-us', bundle: 'checkout-hotfix@6' },
      'checkout-hotfix@6',
      'override.scope-mismatch',
    ],
    [
      'other change kinds',
      { environment: 'prod-eu', changeKinds: ['rollback'] },
      'checkout-hotfix@6',
      'override.scope-mismatch',
    ],
  ])('refuses an override for %s with 403 and its reason', async (_label, scope, bundle, reason) => {
    at(api, '2026-12-21T12:00:00Z');
    const id = await approvedOverride(
      api,
      { ...scope, reason: 'needed for the incident', ticket: 'INC-7' },
      { approvers: ['rita', 'ray'] },
    );
    const before = await headVersion(api, 'prod-eu');
    const res = await deploy(api, 'prod-eu', bundle, { override: id });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({
      reason,
      overrideId: id,
      windows: [expect.objectContaining({ id: 'year-end' })],
    });
    expect(await headVersion(api, 'prod-eu')).toBe(before);
  });

  it('refuses an override past its time box, one not yet approved, and an unknown one', async () => {
    at(api, '2026-12-22T08:00:00Z');
    const body = {
      environment: 'prod-eu',
      bundle: 'checkout-hotfix@7',
      reason: 'needed for the incident',
      ticket: 'INC-8',
      requestedDuration: 'PT1H',
    };
    const expiring = await approvedOverride(api, body, { approvers: ['rita', 'paula'] });
    at(api, '2026-12-22T09:00:00Z');
    const expired = await deploy(api, 'prod-eu', 'checkout-hotfix@7', { override: expiring });
    expect([expired.status, expired.json.reason]).toEqual([403, 'override.expired']);

    const pending = (await api.call('POST', '/overrides', { body })).json.id as string;
    const notYet = await deploy(api, 'prod-eu', 'checkout-hotfix@7', { override: pending });
    expect([notYet.status, notYet.json.reason]).toEqual([403, 'override.not-approved']);

    const unknown = await deploy(api, 'prod-eu', 'checkout-hotfix@7', { override: 'ovr-nope' });
    expect(unknown.status).toBe(404);
    expect((await deploy(api, 'prod-eu', 'checkout-hotfix@7', { override: 'Not An Id' })).status).toBe(422);
  });

  it('does not let an override approved for a soft freeze through a hard one', async () => {
    at(api, '2026-12-01T13:00:00Z');
    const id = await approvedOverride(
      api,
      {
        environment: 'prod-eu',
        bundle: 'checkout-hotfix@5',
        reason: 'launch tuning needed',
        ticket: 'CHG-5',
      },
      { approvers: ['paula'] },
    );
    const incident = {
      ...yearEnd,
      id: 'incident',
      name: 'Incident freeze',
      schedule: { start: '2026-12-01T12:30:00Z', end: '2026-12-01T14:00:00Z' },
    };
    expect((await api.call('POST', '/freezes', { body: incident })).status).toBe(201);
    const res = await deploy(api, 'prod-eu', 'checkout-hotfix@5', { override: id });
    expect([res.status, res.json.reason, res.json.level]).toEqual([403, 'override.level-mismatch', 'hard']);
    expect((await api.call('DELETE', '/freezes/incident')).status).toBe(200);
  });

  it('does not consume an override where nothing is frozen', async () => {
    at(api, '2026-12-21T13:00:00Z');
    const id = await approvedOverride(
      api,
      {
        environment: 'staging',
        bundle: 'checkout-hotfix@5',
        reason: 'staging is not frozen',
        ticket: 'CHG-6',
      },
      { approvers: ['rita', 'paula'] },
    );
    const res = await deploy(api, 'staging', 'checkout-hotfix@5', { override: id });
    expect(res.status).toBe(201);
    expect(res.json.overrideId).toBeUndefined();
    expect((await api.call('GET', `/overrides/${id}`)).json.status).toBe('approved');
  });

  it('refuses a deploy held between validation and commit while a window is added (the guard moved)', async () => {
    at(api, '2026-12-21T14:00:00Z');
    const head = await headVersion(api, 'staging');
    const hold = holdNextFlip(api, 'staging');
    const pending = deploy(api, 'staging', 'checkout-hotfix@6');
    await hold.reached;
    const incident = {
      ...yearEnd,
      id: 'staging-incident',
      name: 'Staging incident',
      scope: { environments: ['staging'] },
      schedule: { start: '2026-12-21T13:00:00Z', end: '2026-12-21T18:00:00Z' },
    };
    expect((await api.call('POST', '/freezes', { body: incident })).status).toBe(201);
    hold.release();
    const res = await pending;
    hold.done();
    expect(res.status).toBe(423);
    expect(res.json.windows.map((w: { id: string }) => w.id)).toEqual(['staging-incident']);
    expect(await headVersion(api, 'staging')).toBe(head);
    expect((await api.call('DELETE', '/freezes/staging-incident')).status).toBe(200);
  });

  it('retries, and commits, when the calendar change held against it does not concern the change', async () => {
    at(api, '2026-12-21T15:00:00Z');
    const head = await headVersion(api, 'staging');
    const hold = holdNextFlip(api, 'staging');
    const pending = deploy(api, 'staging', 'checkout-hotfix@7');
    await hold.reached;
    const elsewhere = { ...yearEnd, id: 'dev-only', name: 'Dev only', scope: { environments: ['dev'] } };
    expect((await api.call('POST', '/freezes', { body: elsewhere })).status).toBe(201);
    hold.release();
    const res = await pending;
    hold.done();
    expect(res.status).toBe(201);
    expect(await headVersion(api, 'staging')).toBe(head + 1);
    expect((await api.call('DELETE', '/freezes/dev-only')).status).toBe(200);
  });

  it('refuses a change when a window starts between validation and commit, with no guard bump at all (a missed schedule)', async () => {
    const noon = {
      ...yearEnd,
      id: 'staging-noon',
      name: 'Staging noon',
      scope: { environments: ['staging'] },
      schedule: { start: '2026-12-22T12:00:00Z', end: '2026-12-22T13:00:00Z' },
    };
    at(api, '2026-12-22T09:00:00Z');
    expect((await api.call('POST', '/freezes', { body: noon })).status).toBe(201);
    const guard = await api.store.freezes.getGuard('staging');
    at(api, '2026-12-22T11:59:59Z');
    const name = 'clock-moves';
    // Time passes while the change is validated: the gate reads the guard after validation.
    api.doc.middlewareStack.add(
      (next, context) => async (args) => {
        const key = (args.input as { Key?: { sk?: string } }).Key;
        if (context.commandName === 'GetItemCommand' && key?.sk === 'FREEZE-GUARD')
          at(api, '2026-12-22T12:00:01Z');
        return next(args);
      },
      { step: 'initialize', name },
    );
    const head = await headVersion(api, 'staging');
    const res = await deploy(api, 'staging', 'checkout-hotfix@8');
    api.doc.middlewareStack.remove(name);
    expect(res.status).toBe(423);
    expect(res.json.windows.map((w: { id: string }) => w.id)).toEqual(['staging-noon']);
    expect(await headVersion(api, 'staging')).toBe(head);
    expect(await api.store.freezes.getGuard('staging')).toEqual(guard);
  });

  it('gives up with 409 when the freeze state keeps changing under the commit, writing no change', async () => {
    at(api, '2026-12-23T10:00:00Z');
    // Another writer (a store without this test's middleware) moves dev's guard before every flip.
    const other = createConvoyStore({ doc: api.table.doc, tableName: api.table.tableName });
    let moves = 0;
    const name = 'keeps-moving';
    api.doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && flipsHead(args.input, 'dev')) {
          moves += 1;
          await other.freezes.activate(
            'dev',
            { active: [`churn-${moves}`], level: 'soft' },
            { principal: 'churn', at: '2026-12-23T10:00:00Z' },
          );
        }
        return next(args);
      },
      { step: 'initialize', name },
    );
    const head = await headVersion(api, 'dev');
    const res = await deploy(api, 'dev', 'checkout-hotfix@9');
    api.doc.middlewareStack.remove(name);
    expect(res.status).toBe(409);
    expect(res.json.detail).toBe('The freeze state of dev kept changing while committing; retry.');
    expect(moves).toBe(4);
    expect(await headVersion(api, 'dev')).toBe(head);
  });

  it('shows the _freeze chain in the audit log, and it verifies like every chain', async () => {
    const events = (await api.call('GET', '/audit?limit=1000', { as: 'vera' })).json.events as {
      chain: string;
      type: string;
    }[];
    const types = new Set(events.filter((e) => e.chain === '_freeze').map((e) => e.type));
    for (const type of [
      'FreezeWindowAdded',
      'FreezeWindowRemoved',
      'ChangeRejected',
      'OverrideRequested',
      'OverrideApproved',
      'OverrideUsed',
    ]) {
      expect(types, type).toContain(type);
    }
    const verify = (await api.call('GET', '/audit/verify')).json;
    expect(verify.ok).toBe(true);
    expect(verify.chains.map((c: { chain: string }) => c.chain)).toContain('_freeze');
  });
});
