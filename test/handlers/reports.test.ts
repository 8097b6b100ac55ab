import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';
import { approvedOverride, at, pushHotfix, seedFreezeWorld, yearEnd } from '../support/freeze.ts';

const PERIOD = 'from=2026-12-01T00:00:00Z&to=2027-01-01T00:00:00Z';

describe('freeze compliance report', () => {
  let api: TestApi;
  let overrideId: string;
  let overrideDeployment: string;
  let bypassDeployment: string;
  beforeAll(async () => {
    api = await createTestApi();
    await seedFreezeWorld(api);
    for (const n of [1, 2, 3]) await pushHotfix(api, n);
    at(api, '2026-11-23T10:00:00Z');
    expect((await api.call('POST', '/freezes', { body: yearEnd })).status).toBe(201);
    expect(
      (await api.call('POST', '/environments/prod-eu/deployments', { body: { bundle: 'checkout-hotfix@1' } }))
        .status,
    ).toBe(201);

    // A change on prod-us on 10 Dec, while no window covered it.
    at(api, '2026-12-10T09:00:00Z');
    expect(
      (await api.call('POST', '/environments/prod-us/deployments', { body: { bundle: 'checkout-hotfix@3' } }))
        .status,
    ).toBe(201);

    // A window recorded on 21 Dec that reaches back over 10 Dec: it was not in the calendar when that
    // change committed, so it does not make the change unexplained.
    at(api, '2026-12-21T09:00:00Z');
    const retro = {
      ...yearEnd,
      id: 'payday',
      name: 'Payday freeze',
      scope: { environments: ['prod-us'] },
      schedule: { start: '2026-12-09T00:00:00Z', end: '2026-12-11T00:00:00Z' },
    };
    expect((await api.call('POST', '/freezes', { body: retro })).status).toBe(201);
    at(api, '2026-12-21T09:30:00Z');
    expect((await api.call('DELETE', '/freezes/payday')).status).toBe(200);
    // Removed and added back: counts once, as it stands.
    const flip = { ...yearEnd, id: 'flip', name: 'Flip', scope: { environments: ['staging'] } };
    expect((await api.call('POST', '/freezes', { body: flip })).status).toBe(201);
    expect((await api.call('DELETE', '/freezes/flip')).status).toBe(200);
    expect((await api.call('POST', '/freezes', { body: flip })).status).toBe(201);

    at(api, '2026-12-21T10:00:00Z');
    expect(
      (await api.call('POST', '/environments/prod-eu/deployments', { body: { bundle: 'checkout-hotfix@2' } }))
        .status,
    ).toBe(423);
    overrideId = await approvedOverride(
      api,
      {
        environment: 'prod-eu',
        bundle: 'checkout-hotfix@2',
        reason: 'card payments time out at checkout',
        ticket: 'INC-42',
      },
      { approvers: ['rita', 'paula'] },
    );
    at(api, '2026-12-21T10:15:00Z');
    const deployed = await api.call('POST', '/environments/prod-eu/deployments', {
      body: { bundle: 'checkout-hotfix@2', override: overrideId },
    });
    expect(deployed.status).toBe(201);
    overrideDeployment = deployed.json.deploymentId as string;
    at(api, '2026-12-21T11:00:00Z');
    expect((await api.call('POST', '/environments/prod-eu/rollback', { body: {} })).status).toBe(201);
    expect(
      (await api.call('POST', '/environments/dev/deployments', { body: { bundle: 'checkout-hotfix@2' } }))
        .status,
    ).toBe(201);
    // A change that got past the guard while the year-end window held prod-us (its read of the
    // calendar came back empty): nothing explains it.
    at(api, '2026-12-21T11:30:00Z');
    const blind = Object.assign(Object.create(api.store.freezes) as typeof api.store.freezes, {
      listWindows: () => Promise.resolve([]),
    });
    Object.assign(api.deps, { store: { ...api.store, freezes: blind } });
    const bypass = await api.call('POST', '/environments/prod-us/deployments', {
      body: { bundle: 'checkout-hotfix@1' },
      as: 'ray',
    });
    Object.assign(api.deps, { store: api.store });
    expect(bypass.status, bypass.text).toBe(201);
    bypassDeployment = bypass.json.deploymentId as string;
    // The year-end window removed afterwards still judges the changes made while it was in force.
    at(api, '2026-12-21T12:00:00Z');
    expect((await api.call('DELETE', '/freezes/year-end')).status).toBe(200);
  });

  it('lists every change made while a window applied, with its override, and the rejected attempts', async () => {
    const res = await api.call('GET', `/reports/freeze-compliance?${PERIOD}`, { as: 'vera' });
    expect(res.status).toBe(200);
    const report = res.json;
    expect(report.period).toEqual({ from: '2026-12-01T00:00:00Z', to: '2027-01-01T00:00:00Z' });
    expect(
      report.changes.map((c: { environment: string; kind: string; explained: boolean }) => [
        c.environment,
        c.kind,
        c.explained,
      ]),
    ).toEqual([
      ['prod-eu', 'deploy', true],
      ['prod-eu', 'rollback', true],
      ['prod-us', 'deploy', false],
    ]);
    expect(report.changes[0]).toMatchObject({
      at: '2026-12-21T10:15:00.000Z',
      deploymentId: overrideDeployment,
      bundle: 'checkout-hotfix@2',
      principal: 'olivia',
      overrideId,
      override: {
        id: overrideId,
        requester: 'olivia',
        approvers: ['rita', 'paula'],
        reason: 'card payments time out at checkout',
        ticket: 'INC-42',
        approvedAt: '2026-12-21T10:00:00.000Z',
        expiresAt: '2026-12-21T12:00:00.000Z',
      },
    });
    expect(report.changes[2]).toMatchObject({ deploymentId: bypassDeployment, principal: 'ray' });
    expect(report.changes[2].explanation).toMatch(/no override during year-end/);
    expect(report.rejected).toEqual([
      expect.objectContaining({
        at: '2026-12-21T10:00:00.000Z',
        environment: 'prod-eu',
        kind: 'deploy',
        principal: 'olivia',
        windows: ['year-end'],
      }),
    ]);
    expect(report.unexplained).toBe(1);
  });

  it('says so loudly in Markdown, and gives CSV for spreadsheets', async () => {
    const md = await api.call('GET', `/reports/freeze-compliance?${PERIOD}&format=md`);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.text).toContain('**UNEXPLAINED CHANGES: 1**');
    expect(md.text).toContain('INC-42');
    const csv = await api.call('GET', `/reports/freeze-compliance?${PERIOD}&format=csv`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^record,at,environment,kind,bundle/);
    expect(lines.filter((l) => l.startsWith('rejected,'))).toHaveLength(1);
  });

  it('reports a quiet period as such', async () => {
    const res = await api.call(
      'GET',
      '/reports/freeze-compliance?from=2026-06-01T00:00:00Z&to=2026-07-01T00:00:00Z&format=md',
    );
    expect(res.text).toContain('No unexplained changes.');
  });

  it.each([
    ['a period that ends before it starts', 'from=2027-01-01T00:00:00Z&to=2026-12-01T00:00:00Z', 'query.to'],
    ['no start', 'to=2026-12-01T00:00:00Z', 'query.from'],
    ['an unknown format', `${PERIOD}&format=pdf`, 'query.format'],
  ])('refuses %s with 400', async (_label, query, path) => {
    const res = await api.call('GET', `/reports/freeze-compliance?${query}`);
    expect(res.status).toBe(400);
    expect(res.json.problems[0].path).toBe(path);
  });

  it('is for principals with a role', async () => {
    expect((await api.call('GET', `/reports/freeze-compliance?${PERIOD}`, { as: 'stranger' })).status).toBe(
      403,
    );
  });

  it('reads the audit chains leniently: odd events are skipped, missing facts left empty', async () => {
    const event = (type: string, detail: Record<string, string>) => ({
      type,
      at: '2026-12-22T10:00:00.000Z',
      actor: 'someone',
      subject: 'prod-eu',
      detail,
    });
    await api.store.audit.append('_freeze', event('ChangeRejected', { kind: 'deploy' }));
    await api.store.audit.append('_freeze', event('ChangeRejected', { kind: 'nap' }));
    await api.store.audit.append('_freeze', event('FreezeWindowAdded', { id: 'no-window' }));
    await api.store.audit.append('_odd', event('BundleDeployed', { bundle: 'x@1' }));
    const report = (await api.call('GET', `/reports/freeze-compliance?${PERIOD}`)).json;
    expect(report.rejected.at(-1)).toEqual({
      at: '2026-12-22T10:00:00.000Z',
      environment: 'prod-eu',
      kind: 'deploy',
      principal: 'someone',
      windows: [],
      reason: '',
    });
    expect(report.rejected).toHaveLength(2);
    expect(report.changes).toHaveLength(3);
  });
});
