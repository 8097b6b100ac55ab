import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SinkState, SinkStatus } from '#domain/environments/sink-status.ts';
import {
  actor,
  catalogOf,
  convoyError,
  createHarness,
  prepareDeploy,
  requireHead,
  sealedBundle,
  type Harness,
} from '../store/support.ts';

let h: Harness;
let deploymentId: string;

beforeAll(async () => {
  h = await createHarness('appconfig-store');
  await h.store.catalogs.putCatalog(catalogOf(['dev']), 0, actor());
  const sealed = sealedBundle('checkout-timeouts', '3', { 'payments.checkout.timeoutMs': 2500 });
  const committed = await h.store.environments.commit(
    await prepareDeploy(h.store, await requireHead(h.store, 'dev'), sealed),
  );
  deploymentId = committed.deployment.id;
});
afterAll(async () => {
  await h.table.drop();
});

const at = (second: number) => `2026-03-01T10:00:${String(second).padStart(2, '0')}.000Z`;
const status = (state: SinkState, deploymentNumber?: number, second = 0): SinkStatus => ({
  state,
  versionNumber: 4,
  ...(deploymentNumber === undefined ? {} : { deploymentNumber }),
  at: at(second),
});
const set = (next: SinkStatus) => h.store.environments.setSinkStatus('dev', deploymentId, 'appconfig', next);
const stored = async () => (await h.store.environments.getDeployment('dev', deploymentId))?.sinks.appconfig;

describe('sink status on the deployment record (DynamoDB Local)', () => {
  it('records a status in place, seen by reads and listings, the rest of the record untouched', async () => {
    const before = await h.store.environments.getDeployment('dev', deploymentId);
    expect(before?.sinks).toEqual({});
    const pending: SinkStatus = { state: 'pending', versionNumber: 4, at: at(1) };
    expect(await set(pending)).toEqual({ recorded: true, status: pending });
    const after = await h.store.environments.getDeployment('dev', deploymentId);
    expect(after).toEqual({ ...before, sinks: { appconfig: pending } });
    expect((await h.store.environments.listDeployments('dev'))[0]?.sinks).toEqual({ appconfig: pending });
  });

  it.each([
    ['dev', 'dpl-dev-9', 'a record that does not exist'],
    ['dev', 'dpl-prod-1', 'a record of another environment'],
    ['dev', 'not-an-id', 'a malformed id'],
    ['prod', 'dpl-prod-1', 'an unknown environment'],
  ])('refuses %s/%s (%s) as not-found and writes nothing', async (environment, id) => {
    const before = await h.table.dump();
    const error = await convoyError(
      h.store.environments.setSinkStatus(environment, id, 'appconfig', status('deploying', 1)),
    );
    expect(error.code).toBe('not-found');
    expect(await h.table.dump()).toEqual(before);
  });

  it('translates what DynamoDB refuses (an item over 400 KB)', async () => {
    const error = await convoyError(set({ state: 'failed', message: 'x'.repeat(410_000), at: at(0) }));
    expect(error.code).toBe('internal');
  });

  /** Each row starts from `from` (deployment 7) and tries `to`; outcomes never move backwards. */
  it.each([
    ['deploying', 'deploying', 7, true],
    ['deploying', 'complete', 7, true],
    ['deploying', 'rolled-back', 7, true],
    ['deploying', 'failed', 7, true],
    ['complete', 'deploying', 7, false],
    ['complete', 'pending', 7, false],
    ['complete', 'failed', 7, false],
    ['complete', 'complete', 7, true],
    ['complete', 'rolled-back', 7, true],
    ['rolled-back', 'complete', 7, false],
    ['rolled-back', 'deploying', 7, false],
    ['rolled-back', 'rolled-back', 7, true],
    ['complete', 'deploying', 8, true],
    ['rolled-back', 'deploying', 8, true],
    ['complete', 'pending', undefined, true],
    ['rolled-back', 'failed', undefined, true],
  ] as const)('from %s, a %s status of deployment %s is recorded: %s', async (from, to, number, recorded) => {
    // A status without a deployment number (a new attempt) replaces anything: a clean start per row.
    await set({ state: 'pending', at: at(9) });
    await set(status(from, 7, 10));
    const next = { ...status(to, number, 11), message: 'next' };
    const write = await set(next);
    if (recorded) {
      expect(write).toEqual({ recorded: true, status: next });
      expect(await stored()).toEqual(next);
    } else {
      expect(write).toEqual({ recorded: false, reason: 'outcome-recorded', current: status(from, 7, 10) });
      expect(await stored()).toEqual(status(from, 7, 10));
    }
  });

  it('keeps the outcome when a late poller races it', async () => {
    await set(status('deploying', 9, 20));
    const [, outcome] = await Promise.all([set(status('deploying', 9, 21)), set(status('complete', 9, 22))]);
    // Whichever lands first, the outcome stands: a late `deploying` is either overwritten or refused.
    expect(outcome.recorded).toBe(true);
    expect(await stored()).toEqual(status('complete', 9, 22));
    expect(await set(status('deploying', 9, 23))).toMatchObject({ recorded: false });
  });
});
