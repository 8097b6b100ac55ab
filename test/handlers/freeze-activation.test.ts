import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { make } from '#functions/scheduled/freeze-activation.ts';
import { scheduleNameOf } from '#app/freezes/sync-freezes.ts';
import { isConvoyError } from '#domain/core/errors.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { at, freezeEventsOf, headVersion, pushHotfix, seedFreezeWorld, weekend } from '../support/freeze.ts';

const launch = {
  id: 'launch',
  name: 'Launch freeze',
  scope: { environments: ['prod-eu'] },
  schedule: { start: '2026-12-01T08:00:00Z', end: '2026-12-01T20:00:00Z' },
  level: 'hard',
};

describe('scheduled freeze activation', () => {
  let api: TestApi;
  let hotfix = 0;
  const deployProdEu = async () =>
    api.call('POST', '/environments/prod-eu/deployments', {
      body: { bundle: `checkout-hotfix@${++hotfix}` },
    });
  const fire = (reason: 'window-start' | 'window-end' | 'rearm', windowId?: string) =>
    make(api.deps)({ reason, ...(windowId === undefined ? {} : { windowId }) });

  beforeAll(async () => {
    api = await createTestApi();
    await seedFreezeWorld(api);
    for (const n of [1, 2, 3, 4, 5, 6]) await pushHotfix(api, n);
    at(api, '2026-11-23T10:00:00Z');
    for (const window of [launch, weekend])
      expect((await api.call('POST', '/freezes', { body: window })).status).toBe(201);
  });
  beforeEach(() => {
    api.integrations.published.length = 0;
  });

  it('arms each window at its next edge when the calendar changes', () => {
    expect(api.integrations.armed.get(scheduleNameOf('launch'))).toEqual({
      at: '2026-12-01T08:00:00.000Z',
      payload: { reason: 'window-start', windowId: 'launch' },
    });
    expect(api.integrations.armed.get(scheduleNameOf('weekend'))?.at).toBe('2026-11-27T17:00:00.000Z');
  });

  it('a late firing: the change is refused at commit before the guard knows, then the firing catches the guard up', async () => {
    at(api, '2026-12-01T08:10:00Z');
    expect(await api.store.freezes.getGuard('prod-eu')).toMatchObject({ active: [] });
    const head = await headVersion(api, 'prod-eu');
    expect((await deployProdEu()).status).toBe(423);
    expect(await headVersion(api, 'prod-eu')).toBe(head);

    at(api, '2026-12-01T08:20:00Z');
    const result = await fire('window-start', 'launch');
    expect(result.activations).toEqual([{ environment: 'prod-eu', started: ['launch'], ended: [] }]);
    expect(await api.store.freezes.getGuard('prod-eu')).toMatchObject({ active: ['launch'], level: 'hard' });
    expect(api.integrations.published).toEqual([
      {
        source: 'convoy.freeze',
        detailType: 'FreezeStarted',
        detail: {
          environment: 'prod-eu',
          at: '2026-12-01T08:20:00.000Z',
          level: 'hard',
          active: ['launch'],
          windows: [
            expect.objectContaining({
              id: 'launch',
              start: '2026-12-01T08:00:00.000Z',
              end: '2026-12-01T20:00:00.000Z',
            }),
          ],
        },
      },
    ]);
    expect(api.integrations.armed.get(scheduleNameOf('launch'))).toEqual({
      at: '2026-12-01T20:00:00.000Z',
      payload: { reason: 'window-end', windowId: 'launch' },
    });
    // A second (duplicate) firing changes nothing.
    const again = await fire('window-start', 'launch');
    expect(again.activations).toEqual([]);
    expect((await freezeEventsOf(api, 'FreezeStarted')).filter((e) => e.subject === 'prod-eu')).toHaveLength(
      1,
    );
  });

  it('a missed firing: the end never fires, the change is allowed at commit, and the next firing catches up', async () => {
    at(api, '2026-12-01T20:30:00Z');
    expect(await api.store.freezes.getGuard('prod-eu')).toMatchObject({ active: ['launch'] });
    expect((await deployProdEu()).status).toBe(201);

    at(api, '2026-12-02T09:00:00Z');
    const result = await fire('rearm');
    expect(result.activations).toEqual([{ environment: 'prod-eu', started: [], ended: ['launch'] }]);
    expect(api.integrations.published.map((e) => e.detailType)).toEqual(['FreezeEnded']);
    expect(await api.store.freezes.getGuard('prod-eu')).toMatchObject({ active: [], level: null });
    // A one-off window that is over has no next edge: its schedule is removed.
    expect(api.integrations.armed.has(scheduleNameOf('launch'))).toBe(false);
    expect(result.disarmed).toContain('launch');
  });

  it('a missed start: the change is refused at commit, and a later firing of another window catches the guard up', async () => {
    at(api, '2026-12-04T18:00:00Z'); // Friday 19:00 in Berlin: the weekend freeze began an hour ago.
    expect(await api.store.freezes.getGuard('prod-us')).toMatchObject({ active: [] });
    const refused = await api.call('POST', '/environments/prod-us/deployments', {
      body: { bundle: 'checkout-hotfix@6' },
    });
    expect(refused.status).toBe(423);
    expect(refused.json.windows[0]).toMatchObject({
      id: 'weekend',
      start: '2026-12-04T17:00:00.000Z',
      end: '2026-12-07T05:00:00.000Z',
    });

    const result = await fire('rearm');
    expect(result.activations).toEqual([
      { environment: 'prod-eu', started: ['weekend'], ended: [] },
      { environment: 'prod-us', started: ['weekend'], ended: [] },
    ]);
    // The recurring window is re-armed at the end of this occurrence, Monday 06:00 in Berlin.
    expect(api.integrations.armed.get(scheduleNameOf('weekend'))).toEqual({
      at: '2026-12-07T05:00:00.000Z',
      payload: { reason: 'window-end', windowId: 'weekend' },
    });
  });

  it('re-arms a recurring window at its next start when an occurrence ends', async () => {
    at(api, '2026-12-07T05:00:00Z');
    const result = await fire('window-end', 'weekend');
    expect(result.activations.map((a) => a.ended)).toEqual([['weekend'], ['weekend']]);
    expect(api.integrations.armed.get(scheduleNameOf('weekend'))).toEqual({
      at: '2026-12-11T17:00:00.000Z',
      payload: { reason: 'window-start', windowId: 'weekend' },
    });
  });

  it('updates the guards even when the bus and the scheduler fail, and then fails so the firing is retried', async () => {
    at(api, '2026-12-11T17:00:00Z');
    api.integrations.failing.add('events').add('schedules');
    await expect(fire('window-start', 'weekend')).rejects.toThrow(/publish: Error: events outage/);
    api.integrations.failing.clear();
    expect(await api.store.freezes.getGuard('prod-eu')).toMatchObject({ active: ['weekend'] });
  });

  it('refuses a payload it does not understand', async () => {
    const error: unknown = await make(api.deps)({ reason: 'whenever' }).catch((e: unknown) => e);
    expect(isConvoyError(error) && error.code).toBe('validation-failed');
  });

  it('names schedules within the 64 characters EventBridge Scheduler allows', () => {
    expect(scheduleNameOf('launch')).toBe('convoy-freeze-launch');
    const long = 'a'.repeat(63);
    expect(scheduleNameOf(long)).toHaveLength(64);
    expect(scheduleNameOf(long)).not.toBe(scheduleNameOf(`${'a'.repeat(62)}b`));
  });
});
