import { beforeAll, describe, expect, it } from 'vitest';
import { checkoutTimeouts, identitySession, RELEASE } from '../fixtures/releases/three-teams.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { seedReleaseWorld } from '../support/releases.ts';

/**
 * A two-bundle release left partial (one of its bundles deployed alone) is detected, with its two ways
 * out, and healed both ways through the API on DynamoDB Local: deploying the rest makes it complete,
 * rolling back restores the snapshot from before the release.
 */
const path = `/releases/${RELEASE}`;
let api: TestApi;

const statusIn = async (environment: string) => {
  const res = await api.call('GET', path, { as: 'vera' });
  expect(res.status).toBe(200);
  return (res.json.environments as { environment: string; status: string; waysOut: unknown[] }[]).find(
    (e) => e.environment === environment,
  );
};

beforeAll(async () => {
  api = await createTestApi();
  api.clock.now = new Date('2026-12-01T09:00:00Z');
  await seedReleaseWorld(api, [identitySession(), checkoutTimeouts()]);
});

const deployAlone = async (environment: string): Promise<string | undefined> => {
  const before = (await api.store.environments.getHead(environment))?.snapshot;
  const res = await api.call('POST', `/environments/${environment}/deployments`, {
    body: { bundle: 'identity-session@2' },
  });
  expect(res.status).toBe(201);
  return before;
};

describe('a partial release', () => {
  it('is detected with its two ways out, and healed by deploying the rest (one flip: complete)', async () => {
    await deployAlone('dev');
    const partial = await statusIn('dev');
    expect(partial).toMatchObject({
      status: 'partial',
      waysOut: [
        {
          kind: 'deploy-rest',
          bundles: ['checkout-timeouts@3'],
          command: `convoy release deploy ${RELEASE} --env dev`,
        },
        { kind: 'roll-back', command: `convoy release rollback ${RELEASE} --env dev` },
      ],
    });
    const listed = await api.call('GET', '/releases', { as: 'vera' });
    expect(listed.json.releases[0]).toMatchObject({ release: RELEASE, partial: ['dev'] });

    const rest = await api.call('POST', `${path}/deployments`, {
      body: { environment: 'dev', overrideSignoffs: { reason: 'heal the partial release' } },
    });
    expect(rest.status).toBe(201);
    expect(rest.json.bundles.map((b: { name: string }) => b.name)).toEqual(['checkout-timeouts']);
    expect(await statusIn('dev')).toMatchObject({ status: 'complete', waysOut: [] });
  });

  it('is healed by rolling back to the snapshot from before the release (none)', async () => {
    const before = await deployAlone('staging');
    expect((await statusIn('staging'))?.status).toBe('partial');
    const back = await api.call('POST', `${path}/rollback`, { body: { environment: 'staging' } });
    expect(back.status).toBe(201);
    expect(await statusIn('staging')).toMatchObject({ status: 'none', waysOut: [] });
    const head = await api.store.environments.getHead('staging');
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(head?.snapshot).toBe(before);
  });
});
