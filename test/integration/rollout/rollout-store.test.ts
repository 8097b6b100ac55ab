import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConvoyError } from '#domain/core/errors.ts';
import type { EventOf, RolloutEvent } from '#domain/rollout/events.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import { strategySchema } from '#domain/rollout/strategy.ts';
import { keys } from '#store/keys.ts';
import { createHarness, type Harness } from '../store/support.ts';
import { createRollout } from '../../fixtures/rollouts.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness('rollout-store');
});
afterAll(async () => {
  await h.table.drop();
});

const strategy = strategySchema.parse({
  name: 'two',
  phases: [
    { name: 'first', environments: ['dev'], bake: 'PT10M' },
    { name: 'second', environments: ['prod-eu'], bake: 'PT10M' },
  ],
  health: { alarms: ['{env}-5xx'] },
});

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const at = (minute: number): string => new Date(T0 + minute * 60_000).toISOString();

const startedEvent = (rolloutId: string, minute = 0): EventOf<'RolloutStarted'> => ({
  type: 'RolloutStarted',
  seq: 0,
  at: at(minute),
  rolloutId,
  bundle: { name: 'checkout-timeouts', version: '3', hash: 'b'.repeat(64) },
  strategy,
  environmentsBefore: { dev: 'snap-dev-0', 'prod-eu': 'snap-eu-0' },
  by: 'olivia',
});

const phaseEvents = (firstSeq: number): RolloutEvent[] => [
  { type: 'PhaseStarted', seq: firstSeq, at: at(1), phase: 'first' },
  {
    type: 'PhaseDeployed',
    seq: firstSeq + 1,
    at: at(1),
    phase: 'first',
    environment: 'dev',
    deploymentId: 'dev-1',
    previousSnapshot: 'snap-dev-0',
    snapshot: 'snap-dev-1',
  },
];

const conflictOf = (error: unknown): ConvoyError => {
  expect(error).toBeInstanceOf(ConvoyError);
  expect((error as ConvoyError).code).toBe('conflict');
  return error as ConvoyError;
};

describe('create', () => {
  it('stores the first event and a summary; a retried create is a no-op, another content a conflict', async () => {
    const summary = await createRollout(h.store.rollouts, startedEvent('ro-create'));
    expect(summary).toMatchObject({
      rolloutId: 'ro-create',
      strategy: 'two',
      lastSeq: 0,
      startedBy: 'olivia',
    });
    await expect(createRollout(h.store.rollouts, startedEvent('ro-create'))).resolves.toEqual(summary);
    conflictOf(await createRollout(h.store.rollouts, startedEvent('ro-create', 5)).catch((e: unknown) => e));
    expect(await h.store.rollouts.events('ro-create')).toEqual([startedEvent('ro-create')]);
  });

  it('refuses a first event whose seq is not 0', async () => {
    await expect(
      createRollout(h.store.rollouts, { ...startedEvent('ro-seq'), seq: 1 }),
    ).rejects.toMatchObject({
      code: 'bad-request',
    });
  });
});

describe('append', () => {
  it('appends in seq order and reduceRollout over the stored events gives the state', async () => {
    await createRollout(h.store.rollouts, startedEvent('ro-append'));
    await expect(h.store.rollouts.append('ro-append', phaseEvents(1))).resolves.toEqual({ lastSeq: 2 });
    const events = await h.store.rollouts.events('ro-append');
    expect(events.map((e) => e.seq)).toEqual([0, 1, 2]);
    const state = reduceRollout(events);
    expect(state.anomalies).toEqual([]);
    expect(state.id).toBe('ro-append');
    expect(state.phases[0]?.deployments.map((d) => d.environment)).toEqual(['dev']);
    expect(state.rollbackPlan).toEqual([
      { phase: 'first', environment: 'dev', restoreSnapshot: 'snap-dev-0', deploymentId: 'dev-1' },
    ]);
    expect((await h.store.rollouts.get('ro-append'))?.lastSeq).toBe(2);
  });

  it('is idempotent on a retried append with the same seqs and content', async () => {
    await createRollout(h.store.rollouts, startedEvent('ro-retry'));
    await h.store.rollouts.append('ro-retry', phaseEvents(1));
    await expect(h.store.rollouts.append('ro-retry', phaseEvents(1))).resolves.toEqual({ lastSeq: 2 });
    // A retry of the first part only, after more was appended, is a no-op as well.
    await h.store.rollouts.append('ro-retry', [{ type: 'PhaseBaked', seq: 3, at: at(12), phase: 'first' }]);
    await expect(h.store.rollouts.append('ro-retry', phaseEvents(1).slice(0, 1))).resolves.toEqual({
      lastSeq: 3,
    });
    expect((await h.store.rollouts.events('ro-retry')).map((e) => e.seq)).toEqual([0, 1, 2, 3]);
  });

  it('lets exactly one of 20 concurrent writers of one seq win; the others conflict with the last seq', async () => {
    await createRollout(h.store.rollouts, startedEvent('ro-race'));
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        h.store.rollouts.append('ro-race', [
          { type: 'Paused', seq: 1, at: at(1), by: `racer-${i}`, reason: `racer ${i}` },
        ]),
      ),
    );
    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    for (const loser of losers) expect(conflictOf(loser).context.lastSeq).toBe(1);
    const events = await h.store.rollouts.events('ro-race');
    expect(events).toHaveLength(2);
    expect(reduceRollout(events).status).toBe('paused');
  });

  it('refuses a gap, a stale seq, an empty append, RolloutStarted and an unknown rollout', async () => {
    await createRollout(h.store.rollouts, startedEvent('ro-bad'));
    const gap: RolloutEvent[] = [
      { type: 'PhaseStarted', seq: 1, at: at(1), phase: 'first' },
      { type: 'PhaseBaked', seq: 3, at: at(1), phase: 'first' },
    ];
    await expect(h.store.rollouts.append('ro-bad', gap)).rejects.toMatchObject({ code: 'bad-request' });
    await expect(h.store.rollouts.append('ro-bad', [])).rejects.toMatchObject({ code: 'bad-request' });
    await expect(
      h.store.rollouts.append('ro-bad', [{ ...startedEvent('ro-bad'), seq: 1 }]),
    ).rejects.toMatchObject({ code: 'bad-request' });
    const ahead = await h.store.rollouts.append('ro-bad', phaseEvents(2)).catch((e: unknown) => e);
    expect(conflictOf(ahead).context.lastSeq).toBe(0);
    await expect(h.store.rollouts.append('ro-missing', phaseEvents(1))).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(h.store.rollouts.events('ro-missing')).rejects.toMatchObject({ code: 'not-found' });
    const tooMany = Array.from({ length: 100 }, (_, i): RolloutEvent => ({
      type: 'PhaseStarted',
      seq: i + 1,
      at: at(1),
      phase: 'first',
    }));
    await expect(h.store.rollouts.append('ro-bad', tooMany)).rejects.toMatchObject({ code: 'bad-request' });
    expect(keys.rolloutEvent('ro-bad', 1).sk).toBe('EVENT#000000000001');
  });
});

it('lists rollouts newest first', async () => {
  const list = await h.store.rollouts.list();
  expect(list.length).toBeGreaterThanOrEqual(5);
  const starts = list.map((s) => s.startedAt);
  expect(starts).toEqual([...starts].sort().reverse());
  expect(await h.store.rollouts.list(1)).toHaveLength(1);
  expect(await h.store.rollouts.get('ro-missing')).toBeUndefined();
});
