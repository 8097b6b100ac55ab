import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import { RELEASE, releaseCatalog } from '../../fixtures/releases/three-teams.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { seedReleaseWorld } from '../../support/releases.ts';
import { exposureOf, simulate } from './support.ts';

/**
 * The simulator with a release as the unit (`convoy rollout simulate --release`): the release's
 * bundles read from the API, each phase deploying all of them in one flip, an alarm in the second
 * phase rolling both environments back; the API's own table is never written.
 */
let api: TestApi;
let server: ApiServer | undefined;

const strategy = {
  name: 'two-phases',
  phases: [
    { name: 'dev', environments: ['dev'], bake: 'PT10M' },
    { name: 'staging', environments: ['staging'], bake: 'PT10M' },
  ],
  health: { alarms: ['{env}-5xx-rate'], interval: 'PT1M' },
};

beforeAll(async () => {
  api = await createTestApi();
  await seedReleaseWorld(api);
  server = await startApiServer({ port: 0, deps: () => api.deps });
});

afterAll(async () => {
  await server?.close();
  await api.table.drop();
});

describe('simulating a release rollout', () => {
  it('deploys the whole release in each phase and rolls both environments back on an alarm in the second', async () => {
    const before = await api.table.dump();
    const run = await simulate({
      catalog: { apiUrl: server?.url ?? '', principal: 'olivia' },
      strategy,
      bundle: { release: RELEASE },
      scenario: {
        alarms: [
          { alarm: 'dev-5xx-rate', state: 'OK', from: 'PT0S' },
          { alarm: 'staging-5xx-rate', state: 'OK', from: 'PT0S', to: 'PT15M' },
          { alarm: 'staging-5xx-rate', state: 'ALARM', from: 'PT15M' },
        ],
      },
    });
    expect(run.outcome).toBe('rolled-back');
    expect(run.timeline[0]?.detail).toContain(`release ${RELEASE} (identity-session@2, checkout-timeouts@3`);
    expect(exposureOf(run)).toEqual([
      'dev +00:00:00→+00:15:00 rolled back',
      'staging +00:10:00→+00:15:00 rolled back',
    ]);
    expect(run.notes).toEqual([`${RELEASE}: its sign-offs are not simulated; the rollout overrides them.`]);
    expect(await api.table.dump()).toEqual(before);
  });

  it('needs the API to read a release from', async () => {
    await expect(
      simulate({ catalog: { document: releaseCatalog() }, strategy, bundle: { release: RELEASE } }),
    ).rejects.toThrow(/needs the API/);
  });
});
