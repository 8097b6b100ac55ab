import { beforeAll, describe, expect, it } from 'vitest';
import { deployRelease } from '#app/releases/deploy-release.ts';
import { releaseCore } from '#app/releases/release-context.ts';
import { RELEASE } from '../fixtures/releases/three-teams.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { seedReleaseWorld } from '../support/releases.ts';

const path = `/releases/${RELEASE}`;

describe('atomic release deploy and rollback', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    api.clock.now = new Date('2026-12-01T09:00:00Z');
    await seedReleaseWorld(api);
  });

  it('refuses a release without its sign-offs, writing nothing', async () => {
    const before = await api.table.dump();
    const res = await api.call('POST', `${path}/deployments`, { body: { environment: 'dev' } });
    expect(res.status).toBe(422);
    expect(res.json.problems).toEqual([expect.objectContaining({ code: 'release.signoffs-missing' })]);
    const byTeam = await api.call('POST', `${path}/deployments`, {
      as: 'priya',
      body: { environment: 'dev', overrideSignoffs: { reason: 'hurry' } },
    });
    expect([403, 422]).toContain(byTeam.status);
    expect(await api.table.dump()).toEqual(before);
  });

  it('nothing is visible when the commit fails before the flip', async () => {
    const headBefore = await api.store.environments.getHead('dev');
    const original = api.deps.store;
    api.deps.store = {
      ...original,
      environments: Object.assign(Object.create(original.environments) as typeof original.environments, {
        commit: () => Promise.reject(new Error('injected failure before the flip')),
      }),
    };
    const res = await api.call('POST', `${path}/deployments`, {
      body: { environment: 'dev', overrideSignoffs: { reason: 'injected' } },
    });
    api.deps.store = original;
    expect(res.status).toBe(500);
    expect(await api.store.environments.getHead('dev')).toEqual(headBefore);
    expect(await api.store.environments.listDeployments('dev')).toEqual([]);
  });

  it('deploys every bundle in one flip with a release manager override (audited), then rolls it back', async () => {
    const res = await api.call('POST', `${path}/deployments`, {
      body: { environment: 'dev', overrideSignoffs: { reason: 'demo day' } },
    });
    expect(res.status).toBe(201);
    expect(res.json.bundles.map((b: { name: string }) => b.name)).toEqual([
      'identity-session',
      'checkout-timeouts',
      'search-ranking',
    ]);
    expect(res.json.signoffOverride).toEqual({ principal: 'olivia', reason: 'demo day' });
    const deployments = await api.store.environments.listDeployments('dev');
    expect(deployments.map((d) => d.kind)).toEqual(['release']);
    const events = (await api.store.audit.listEvents({ chain: 'dev' })).filter((e) =>
      e.type.startsWith('Release'),
    );
    expect(events.map((e) => e.type)).toEqual(['ReleaseDeployed']);
    expect(events[0]?.detail).toMatchObject({ signoffOverride: { principal: 'olivia', reason: 'demo day' } });
    const config = await api.call('GET', '/environments/dev/config');
    expect(config.json).toBeDefined();
    const status = await api.call('GET', path);
    expect(status.json.environments[0]).toMatchObject({ environment: 'dev', status: 'complete' });

    const back = await api.call('POST', `${path}/rollback`, { body: { environment: 'dev' } });
    expect(back.status).toBe(201);
    expect(back.json.undoes).toBe(deployments[0]?.id);
    const after = await api.call('GET', path);
    expect(after.json.environments[0]).toMatchObject({ environment: 'dev', status: 'none' });
    const again = await api.call('POST', `${path}/rollback`, { body: { environment: 'dev' } });
    expect(again.status).toBe(409);
  });

  it('the compliance report lists the override: who, when, which release, the teams not signed off, why', async () => {
    // ivan signed identity off; payments and search had not, and no release manager had approved.
    const signed = await api.call('POST', `${path}/signoffs`, { as: 'ivan', body: { team: 'identity' } });
    expect(signed.status).toBe(201);
    api.clock.now = new Date('2026-12-02T08:00:00Z');
    const res = await api.call('POST', `${path}/deployments`, {
      body: { environment: 'staging', overrideSignoffs: { reason: 'INC-42: sessions expire' } },
    });
    expect(res.status).toBe(201);
    const report = await api.call(
      'GET',
      '/reports/freeze-compliance?from=2026-12-02T00:00:00Z&to=2026-12-03T00:00:00Z',
      { as: 'vera' },
    );
    expect(report.status).toBe(200);
    expect(report.json.signoffOverrides).toEqual([
      {
        at: '2026-12-02T08:00:00.000Z',
        environment: 'staging',
        release: RELEASE,
        deploymentId: res.json.deploymentId,
        principal: 'olivia',
        deployedBy: 'olivia',
        unsignedTeams: ['payments', 'search'],
        approved: false,
        reason: 'INC-42: sessions expire',
      },
    ]);
    const md = await api.call(
      'GET',
      '/reports/freeze-compliance?from=2026-12-02T00:00:00Z&to=2026-12-03T00:00:00Z&format=md',
    );
    expect(md.text).toContain(
      `| 2026-12-02T08:00:00.000Z | staging | ${RELEASE} | olivia | olivia | payments, search | no | INC-42: sessions expire |`,
    );
  });

  it('a freeze holds a release deploy and lets its allowed rollback through, judged by the namespaces touched', async () => {
    api.clock.now = new Date('2026-12-03T09:00:00Z');
    const window = {
      id: 'staging-search',
      name: 'Staging search freeze',
      scope: { environments: ['staging'], namespaces: ['search'] },
      schedule: { start: '2026-12-03T00:00:00Z', end: '2026-12-04T00:00:00Z' },
      level: 'hard',
      allow: ['rollback'],
    };
    expect((await api.call('POST', '/freezes', { body: window })).status).toBe(201);
    // The release touches search.*: its rollback is allowed, its deploy is held.
    const back = await api.call('POST', `${path}/rollback`, { body: { environment: 'staging' } });
    expect(back.status, back.text).toBe(201);
    const headBefore = await api.store.environments.getHead('staging');
    const held = await api.call('POST', `${path}/deployments`, {
      body: { environment: 'staging', overrideSignoffs: { reason: 'again' } },
    });
    expect(held.status, held.text).toBe(423);
    expect(held.json.detail).toMatch(/Staging search freeze/);
    // HEAD stays; the refusal itself is audited (ChangeRejected on the freeze chain).
    expect(await api.store.environments.getHead('staging')).toEqual(headBefore);
    const rejected = await api.store.audit.listEvents({ chain: '_freeze' });
    expect(rejected.at(-1)).toMatchObject({ type: 'ChangeRejected', subject: 'staging' });
    // The release's rollback made during the window is a change the compliance report lists.
    const report = await api.call(
      'GET',
      '/reports/freeze-compliance?from=2026-12-03T00:00:00Z&to=2026-12-04T00:00:00Z',
    );
    expect(report.json.changes).toEqual([
      expect.objectContaining({
        environment: 'staging',
        kind: 'rollback',
        bundle: RELEASE,
        explained: true,
        explanation: 'permitted by staging-search (rollback allowed)',
      }),
    ]);
  });

  it('a release with a manifest but no bundle yet: nothing to sign off or deploy (writing nothing); its target date meets the freeze', async () => {
    const empty = '2026.12-R0';
    const manifest = { name: empty, targetDate: '2026-12-03', owner: 'olivia', bundles: [] };
    expect((await api.call('PUT', `/releases/${empty}`, { body: manifest })).status).toBe(201);
    const view = await api.call('GET', `/releases/${empty}`);
    expect(view.json.freezes).toEqual([expect.objectContaining({ id: 'staging-search' })]);
    const before = await api.table.dump();
    const signoff = await api.call('POST', `/releases/${empty}/signoffs`, {
      as: 'ivan',
      body: { team: 'identity' },
    });
    expect(signoff.status).toBe(400);
    expect(signoff.json.problems).toEqual([
      expect.objectContaining({ code: 'release.empty', path: 'release' }),
    ]);
    const deploy = await api.call('POST', `/releases/${empty}/deployments`, {
      body: { environment: 'dev', overrideSignoffs: { reason: 'nothing' } },
    });
    expect(deploy.status).toBe(422);
    expect(deploy.json.problems).toEqual([expect.objectContaining({ code: 'release.empty' })]);
    expect(await api.table.dump()).toEqual(before);
  });

  it('the use case itself refuses a sign-off override by anyone but a release manager', async () => {
    const catalog = (await api.store.catalogs.getCatalog())!;
    const change = { environment: 'dev', principal: 'priya', at: api.clock.now.toISOString(), catalog };
    await expect(
      (async () => deployRelease(api.deps, change, RELEASE, { overrideSignoffsReason: 'hurry' }))(),
    ).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/not a release manager/) });
  });

  it('pinned versions that are not among the release bundles are not found', async () => {
    const stored = await api.store.catalogs.getCatalog();
    await expect(
      releaseCore(api.deps, stored!.catalog, RELEASE, api.clock.now.toISOString(), [
        'identity-session@2',
        'identity-session@9',
      ]),
    ).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('identity-session@9') });
  });

  it('a release already live is not deployed again; after a plain rollback of it, nothing of it is left to roll back', async () => {
    const body = { environment: 'dev', overrideSignoffs: { reason: 'twice' } };
    expect((await api.call('POST', `${path}/deployments`, { body })).status).toBe(201);
    const again = await api.call('POST', `${path}/deployments`, { body });
    expect(again.status).toBe(409);
    expect(again.json.detail).toMatch(/every bundle of 2026\.12-R1 is already deployed to dev/);
    // The environment's own rollback restores the snapshot from before the release ...
    expect((await api.call('POST', '/environments/dev/rollback', { body: {} })).status).toBe(201);
    // ... so the release's rollback finds nothing of it to undo.
    const head = await api.store.environments.getHead('dev');
    const back = await api.call('POST', `${path}/rollback`, { body: { environment: 'dev' } });
    expect(back.status).toBe(409);
    expect(back.json.detail).toMatch(/dev holds nothing of 2026\.12-R1; nothing to roll back/);
    expect(await api.store.environments.getHead('dev')).toEqual(head);
  });
});
