import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELEASE, searchRanking } from '../../fixtures/releases/three-teams.ts';
import { pushAs, seedReleaseWorld } from '../../support/releases.ts';
import { createRolloutHarness, type RolloutHarness } from './harness.ts';

/**
 * A release as the rollout's unit through the real progressive-rollout ASL and handlers on DynamoDB
 * Local: each phase deploys the three-team release atomically (one `release` flip per environment); an
 * alarm in the second phase rolls back both environments, newest first, to their pre-release HEAD.
 */
let h: RolloutHarness;
const ENVS = ['dev', 'staging'];
/** A bundle of an earlier release, so "before the release" is a real snapshot. */
const earlier = {
  name: 'search-mode',
  version: '1',
  team: 'search',
  release: '2026.11-R9',
  changes: [{ set: 'search.ranking.mode', value: 'neural' }],
};

const ok = (res: { status: number; text: string }, status = 201): void => {
  if (res.status !== status) throw new Error(`${res.status}: ${res.text}`);
};

beforeAll(async () => {
  h = await createRolloutHarness({
    seed: async (api) => {
      await seedReleaseWorld(api);
      ok(await api.call('POST', '/bundles', { as: 'sam', body: earlier }));
      for (const env of ENVS)
        ok(await api.call('POST', `/environments/${env}/deployments`, { body: { bundle: 'search-mode@1' } }));
    },
  });
  for (const env of ENVS) h.alarms.set(`${env}-5xx-rate`, 'OK');
});
afterAll(async () => {
  await h.close();
});

const strategy = {
  name: 'two-phases',
  phases: [
    { name: 'dev', environments: ['dev'], bake: 'PT5M' },
    { name: 'staging', environments: ['staging'], bake: 'PT5M' },
  ],
  health: { alarms: ['{env}-5xx-rate'], interval: 'PT1M' },
};

const heads = async (): Promise<Record<string, string | undefined>> =>
  Object.fromEntries(
    await Promise.all(ENVS.map(async (e) => [e, (await h.api.store.environments.getHead(e))?.snapshot])),
  );

describe('release rollout', () => {
  it('refuses a release that is not signed off, and an override by someone not a release manager, writing nothing', async () => {
    const before = await h.api.table.dump();
    const unsigned = await h.api.call('POST', '/rollouts', { body: { release: RELEASE, strategy } });
    expect(unsigned.status).toBe(422);
    expect(unsigned.json.problems).toEqual([expect.objectContaining({ code: 'release.signoffs-missing' })]);
    const byPriya = await h.api.call('POST', '/rollouts', {
      as: 'priya',
      body: { release: RELEASE, strategy, overrideSignoffs: { reason: 'hurry' } },
    });
    expect(byPriya.status).toBe(403);
    const flagPhase = await h.api.call('POST', '/rollouts', {
      body: {
        release: RELEASE,
        strategy: {
          ...strategy,
          phases: [{ name: 'f', environments: ['dev'], bake: 'PT5M', flag: { key: 'x.y', percent: 5 } }],
        },
        overrideSignoffs: { reason: 'flag' },
      },
    });
    expect(flagPhase.status).toBe(422);
    const bad = await h.api.call('POST', '/rollouts', {
      body: { release: RELEASE, strategy, bundle: 'x@1' },
    });
    expect(bad.status).toBe(422);
    const unknown = await h.api.call('POST', '/rollouts', { body: { release: 'nope', strategy } });
    expect(unknown.status).toBe(404);
    expect(await h.api.table.dump()).toEqual(before);
  });

  it('deploys the whole release in each phase and, on an alarm in the second phase, restores both environments to their pre-release HEAD', async () => {
    for (const [as, team] of [
      ['ivan', 'identity'],
      ['priya', 'payments'],
      ['sam', 'search'],
    ] as const)
      ok(await h.api.call('POST', `/releases/${RELEASE}/signoffs`, { as, body: { team } }));
    ok(await h.api.call('POST', `/releases/${RELEASE}/signoffs`, { body: { approve: true } }));
    const before = await heads();

    const started = await h.api.call('POST', '/rollouts', {
      body: { release: RELEASE, strategy, id: 'ro-release' },
    });
    ok(started);
    expect(started.json).toMatchObject({ release: RELEASE, bundle: `${RELEASE}@release` });
    const execution = await h.current('ro-release');
    await h.waitFor('ro-release', (s) => (s.phases[1]?.deployments.length ?? 0) > 0);
    h.alarms.set('staging-5xx-rate', 'ALARM');
    const done = await h.finished(execution);
    expect(done.status).toBe('SUCCEEDED');
    h.alarms.set('staging-5xx-rate', 'OK');

    const state = await h.stateOf('ro-release');
    expect(state.anomalies).toEqual([]);
    expect(state.status).toBe('rolled-back');
    expect(state.phases.map((p) => p.status)).toEqual(['rolled-back', 'rolled-back']);
    // Each phase deployed the release atomically: one `release` flip listing its three bundles.
    for (const phase of state.phases) {
      const [deployed] = phase.deployments;
      const record = await h.api.store.environments.getDeployment(
        deployed?.environment ?? '',
        deployed?.deploymentId ?? '',
      );
      expect(record).toMatchObject({ kind: 'release', release: RELEASE });
      expect((record as { bundles: unknown[] }).bundles).toHaveLength(3);
      expect(deployed?.previousSnapshot).toBe(before[deployed?.environment ?? '']);
    }
    // Newest first: staging was restored before dev.
    const rolledBack = (await h.api.store.rollouts.events('ro-release')).filter(
      (e) => e.type === 'PhaseRolledBack',
    );
    expect(rolledBack.map((e) => ('environment' in e ? e.environment : ''))).toEqual(['staging', 'dev']);
    expect(await heads()).toEqual(before);
    const status = await h.api.call('GET', `/releases/${RELEASE}`);
    expect(
      status.json.environments
        .filter((e: { environment: string }) => ENVS.includes(e.environment))
        .map((e: { status: string }) => e.status),
    ).toEqual(['none', 'none']);
    const audit = await h.api.store.audit.listEvents({ chain: 'dev' });
    expect(audit.filter((e) => e.type === 'ReleaseDeployed')).toHaveLength(1);
    const view = await h.api.call('GET', '/rollouts/ro-release');
    expect(view.json.events[0].detail).toContain(`release ${RELEASE} (identity-session@2`);
  });

  it('pins the release at its start: a bundle pushed mid-rollout does not enter a later phase', async () => {
    const pinned = ['identity-session@2', 'checkout-timeouts@3', 'search-ranking@1'];
    const gated = {
      ...strategy,
      name: 'gated',
      phases: [{ ...strategy.phases[0], approval: true }, strategy.phases[1]],
    };
    const started = await h.api.call('POST', '/rollouts', {
      body: { release: RELEASE, strategy: gated, id: 'ro-pinned' },
    });
    ok(started);
    expect(started.json.releaseBundles).toEqual(pinned);
    const execution = await h.current('ro-pinned');
    await h.waitFor('ro-pinned', (s) => s.status === 'awaiting-approval');
    // search pushes a new version of its bundle while the rollout waits at dev's gate.
    await pushAs(
      h.api,
      searchRanking({
        version: '2',
        changes: [
          { set: 'search.ranking.budgetMs', value: '${payments.checkout.timeoutMs}' },
          { set: 'search.ranking.mode', value: 'hybrid' },
        ],
      }),
    );
    await h.act('ro-pinned', 'approve');
    const done = await h.finished(execution);
    expect(done.status).toBe('SUCCEEDED');
    const state = await h.stateOf('ro-pinned');
    expect(state.status).toBe('succeeded');
    const [deployed] = state.phases[1]?.deployments ?? [];
    const record = await h.api.store.environments.getDeployment('staging', deployed?.deploymentId ?? '');
    expect(
      (record as { bundles: { name: string; version: string }[] }).bundles.map(
        (b) => `${b.name}@${b.version}`,
      ),
    ).toEqual(pinned);
    const config = await h.api.call('GET', '/environments/staging/config');
    expect(JSON.parse(config.text)['search.ranking.mode']).toBe('neural');
    const view = await h.api.call('GET', '/rollouts/ro-pinned');
    expect(view.json.releaseBundles).toEqual(pinned);
  });
});
