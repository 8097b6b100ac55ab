import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RolloutEvent } from '#domain/rollout/events.ts';
import { createRolloutHarness, MINUTE, type RolloutHarness } from './harness.ts';

/** A freeze that starts mid-rollout applies its inFlight policy: the real ASL and handlers. */
let h: RolloutHarness;

beforeAll(async () => {
  h = await createRolloutHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
  for (const window of await h.api.store.freezes.listWindows()) {
    const removed = await h.api.call('DELETE', `/freezes/${window.id}`, { as: 'olivia' });
    if (removed.status >= 300) throw new Error(removed.text);
  }
});

const strategy = () =>
  h.strategy({
    phases: [
      { name: 'dev', environments: ['dev'], bake: 'PT10M' },
      { name: 'prod-eu', environments: ['prod-eu'], bake: 'PT3M' },
      { name: 'prod-us', environments: ['prod-us'], bake: 'PT3M' },
    ],
  });

/** A hard window on prod-* from `from` to `to` minutes after now. */
const freeze = async (id: string, inFlight: string, from: number, to: number, extra = {}) => {
  const now = h.now();
  const at = (minutes: number) => new Date(now + minutes * MINUTE).toISOString();
  const created = await h.api.call('POST', '/freezes', {
    as: 'olivia',
    body: {
      id,
      name: `Freeze ${inFlight}`,
      scope: { environments: ['prod-*'] },
      schedule: { start: at(from), end: at(to) },
      level: 'hard',
      inFlight,
      ...extra,
    },
  });
  if (created.status !== 201) throw new Error(created.text);
  return { start: Date.parse(at(from)), end: Date.parse(at(to)) };
};

const find = (events: RolloutEvent[], type: string, phase?: string) =>
  events.find((e) => e.type === type && (phase === undefined || ('phase' in e && e.phase === phase)));
const time = (event: RolloutEvent | undefined) => Date.parse(event?.at ?? '');

describe('a freeze that starts mid-rollout', () => {
  it('pause: the rollout pauses as the window begins, resumes by itself when it ends, and deploys prod after it', async () => {
    const execution = await h.start('ro-frz-pause', strategy());
    const window = await freeze('frz-pause', 'pause', 3, 20);
    await h.finished(execution);
    const events = await h.api.store.rollouts.events('ro-frz-pause');
    const paused = find(events, 'Paused');
    expect(find(events, 'FreezeApplied')).toMatchObject({ policy: 'pause', windows: ['frz-pause'] });
    expect(paused).toMatchObject({ by: 'freeze' });
    // Paused inside the window, before dev's bake would have completed.
    expect(time(paused)).toBeGreaterThanOrEqual(window.start);
    expect(time(paused)).toBeLessThan(time(find(events, 'PhaseDeployed', 'dev')) + 10 * MINUTE);
    expect(time(find(events, 'Resumed'))).toBeGreaterThanOrEqual(window.end);
    expect(time(find(events, 'PhaseDeployed', 'prod-eu'))).toBeGreaterThanOrEqual(window.end);
    expect((await h.stateOf('ro-frz-pause')).status).toBe('succeeded');
  });

  it('finish-phase: the phase under way bakes to the end, the next one waits for the window to end', async () => {
    const execution = await h.start('ro-frz-finish', strategy());
    const window = await freeze('frz-finish', 'finish-phase', 3, 20);
    await h.finished(execution);
    const events = await h.api.store.rollouts.events('ro-frz-finish');
    const paused = find(events, 'Paused');
    expect(find(events, 'FreezeApplied')).toMatchObject({ policy: 'finish-phase' });
    // Not paused while dev baked: only once its bake was complete.
    expect(time(paused)).toBeGreaterThanOrEqual(time(find(events, 'PhaseDeployed', 'dev')) + 10 * MINUTE);
    expect(time(find(events, 'PhaseDeployed', 'prod-eu'))).toBeGreaterThanOrEqual(window.end);
    expect((await h.stateOf('ro-frz-finish')).status).toBe('succeeded');
  });

  it('continue: the rollout deploys prod inside the window', async () => {
    const execution = await h.start('ro-frz-continue', strategy());
    const window = await freeze('frz-continue', 'continue', 3, 60);
    await h.finished(execution);
    const events = await h.api.store.rollouts.events('ro-frz-continue');
    expect(find(events, 'Paused')).toBeUndefined();
    const prodEu = find(events, 'PhaseDeployed', 'prod-eu');
    expect(time(prodEu)).toBeGreaterThan(window.start);
    expect(time(prodEu)).toBeLessThan(window.end);
    expect((await h.stateOf('ro-frz-continue')).status).toBe('succeeded');
    const [record] = await h.api.store.environments.listDeployments('prod-eu', 1);
    expect(record?.idempotencyKey).toBe('ro-frz-continue:prod-eu:prod-eu');
  });

  it('a rollout started inside a window waits before the environments it freezes', async () => {
    const window = await freeze('frz-before', 'continue', 0, 20);
    const execution = await h.start('ro-frz-before', strategy());
    await h.finished(execution);
    const events = await h.api.store.rollouts.events('ro-frz-before');
    expect(time(find(events, 'PhaseDeployed', 'prod-eu'))).toBeGreaterThanOrEqual(window.end);
    expect((await h.stateOf('ro-frz-before')).status).toBe('succeeded');
  });

  it('an alarm during a pause still rolls back, unless the window forbids rollback: then once it ends', async () => {
    const execution = await h.start('ro-frz-forbid', strategy());
    // Long enough that a busy machine still sees the alarm while the window holds the rollback.
    const window = await freeze('frz-forbid', 'pause', 3, 40, {
      scope: { environments: ['*'] },
      forbidRollback: true,
    });
    await h.waitFor('ro-frz-forbid', (s) => s.status === 'paused');
    h.alarms.set('dev-5xx-rate', 'ALARM');
    const done = await h.finished(execution);
    expect(done.history.map((s) => s.state)).toContain('Rollback Blocked');
    const events = await h.api.store.rollouts.events('ro-frz-forbid');
    expect(time(find(events, 'PhaseRolledBack', 'dev'))).toBeGreaterThanOrEqual(window.end);
    expect((await h.stateOf('ro-frz-forbid')).status).toBe('rolled-back');
  });
});
