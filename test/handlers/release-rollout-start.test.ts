import { beforeAll, describe, expect, it } from 'vitest';
import { deployPhase } from '#app/rollouts/deploy-phase.ts';
import { freezeOutlook } from '#app/rollouts/freeze-outlook.ts';
import { ConvoyError } from '#domain/core/errors.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import { ROLLOUT_CHAIN } from '#store/keys.ts';
import { checkoutTimeouts, RELEASE } from '../fixtures/releases/three-teams.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { pushAs, seedReleaseWorld } from '../support/releases.ts';

/**
 * `POST /rollouts` with `{ release, strategy }` (the workflow engine is the test stub: nothing runs):
 * Idempotency-Key replays, a release invalid in an environment, an empty release, a frozen first phase,
 * each refused writing nothing; the freeze outlook of a running release rollout.
 */
let api: TestApi;
const strategy = {
  name: 'two-phases',
  phases: [
    { name: 'dev', environments: ['dev'], bake: 'PT5M' },
    { name: 'staging', environments: ['staging'], bake: 'PT5M' },
  ],
  health: { alarms: ['{env}-5xx-rate'], interval: 'PT1M' },
};
const overrideSignoffs = { reason: 'tested without sign-offs' };
const body = (release = RELEASE, extra: Record<string, unknown> = {}) => ({
  release,
  strategy,
  overrideSignoffs,
  ...extra,
});
const devFreeze = {
  id: 'dev-freeze',
  name: 'Dev freeze',
  scope: { environments: ['dev'], namespaces: ['identity'] },
  schedule: { start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z' },
  level: 'hard',
};

beforeAll(async () => {
  api = await createTestApi();
  api.clock.now = new Date('2026-12-01T09:00:00Z');
  await seedReleaseWorld(api);
  // A release of one bundle whose dependsOn (identity-session@2) is not in the release (nor live in staging).
  await pushAs(api, checkoutTimeouts({ version: '4', release: 'R-lonely' }));
  const manifest = { targetDate: '2026-12-14', owner: 'olivia', bundles: [] };
  expect((await api.call('PUT', '/releases/R-empty', { body: manifest })).status).toBe(201);
});

describe('starting a release rollout', () => {
  it('replays a retry with the same Idempotency-Key, and refuses the key for another rollout', async () => {
    const headers = { 'idempotency-key': 'key-1' };
    const first = await api.call('POST', '/rollouts', { body: body(), headers });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ release: RELEASE, status: 'pending', startedBy: 'olivia' });
    const again = await api.call('POST', '/rollouts', { body: body(), headers });
    expect([200, 201]).toContain(again.status);
    expect(again.json.id).toBe(first.json.id);
    const other = await api.call('POST', '/rollouts', {
      body: body(RELEASE, { strategy: { ...strategy, name: 'other' } }),
      headers,
    });
    expect(other.status).toBe(409);
    const events = await api.store.rollouts.events(first.json.id as string);
    expect(events).toHaveLength(1);
    const audit = await api.store.audit.listEvents({ chain: ROLLOUT_CHAIN });
    const started = audit.filter((e) => e.type === 'RolloutStarted');
    expect(started.map((e) => e.detail)).toEqual([
      expect.objectContaining({
        release: RELEASE,
        bundles: ['identity-session@2', 'checkout-timeouts@3', 'search-ranking@1'],
        signoffOverride: { principal: 'olivia', reason: overrideSignoffs.reason },
      }),
    ]);
    // Its first phase deploys the release under the override granted at the start (audited again).
    await deployPhase(api.deps, { rolloutId: first.json.id as string, phaseIndex: 0 });
    const [record] = await api.store.environments.listDeployments('dev');
    expect(record).toMatchObject({
      kind: 'release',
      release: RELEASE,
      signoffOverride: { principal: 'olivia', reason: overrideSignoffs.reason },
    });
    expect((await api.store.environments.listDeployments('dev')).length).toBe(1);
  });

  it('a start that loses a race for its key replays the winner; without a key the conflict stands', async () => {
    const original = api.deps.store;
    const racing = Object.assign(Object.create(original.rollouts) as typeof original.rollouts, {
      create: () => Promise.reject(new ConvoyError('conflict', 'lost the race')),
    });
    api.deps.store = { ...original, rollouts: racing };
    const keyed = await api.call('POST', '/rollouts', {
      body: body(),
      headers: { 'idempotency-key': 'key-race' },
    });
    const unkeyed = await api.call('POST', '/rollouts', { body: body() });
    api.deps.store = original;
    // The winner's rollout is not there to replay (the store was made to lie): refused either way.
    expect([404, 409]).toContain(keyed.status);
    expect(unkeyed.status).toBe(409);
    expect(unkeyed.json.detail).toContain('lost the race');
  });

  it('refuses a release invalid in an environment, an empty one and a frozen first phase, writing nothing', async () => {
    const before = await api.table.dump();
    const lonely = await api.call('POST', '/rollouts', { body: body('R-lonely') });
    expect(lonely.status).toBe(422);
    const messages = (lonely.json.problems as { message: string }[]).map((p) => p.message);
    expect(messages.some((m) => m.startsWith('staging: '))).toBe(true);
    const empty = await api.call('POST', '/rollouts', { body: body('R-empty') });
    expect(empty.status).toBe(422);
    expect(empty.json.problems).toEqual([expect.objectContaining({ code: 'release.empty' })]);
    expect(await api.table.dump()).toEqual(before);

    expect((await api.call('POST', '/freezes', { body: devFreeze })).status).toBe(201);
    const frozen = await api.call('POST', '/rollouts', { body: body() });
    expect(frozen.status).toBe(423);
    expect(await api.store.rollouts.list(50)).toHaveLength(1);
  });

  it('the freeze outlook of a release rollout holds the environment a window covers for the release', async () => {
    const [started] = await api.store.rollouts.events(
      (await api.store.rollouts.list(50))[0]?.rolloutId ?? '',
    );
    const state = reduceRollout(started ? [started] : []);
    const catalog = await api.store.catalogs.getCatalog();
    if (!catalog) throw new Error('no catalog');
    const outlook = await freezeOutlook(api.deps, state, catalog, '2026-12-01T09:00:00.000Z');
    expect(outlook.holds.map((h) => h.environment)).toEqual(['dev']);
  });
});
