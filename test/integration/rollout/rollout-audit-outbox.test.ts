import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventOf, RolloutEvent } from '#domain/rollout/events.ts';
import { strategySchema } from '#domain/rollout/strategy.ts';
import { ROLLOUT_CHAIN } from '#store/keys.ts';
import type { ConvoyStore } from '#store/ports.ts';
import { startedAudit } from '../../fixtures/rollouts.ts';
import { createHarness, type Harness } from '../store/support.ts';

/**
 * The audit outbox of rollouts: a start, an operator's action and an execution's end commit their
 * audit event on `_rollout` in the same TransactWriteItems as the rollout's events, so a failure at
 * any step leaves both or neither.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness('rollout-outbox');
});
afterAll(async () => {
  await h.table.drop();
});

const strategy = strategySchema.parse({
  name: 'one',
  phases: [{ name: 'first', environments: ['dev'], bake: 'PT10M' }],
  health: { alarms: ['{env}-5xx'] },
});

const started = (rolloutId: string): EventOf<'RolloutStarted'> => ({
  type: 'RolloutStarted',
  seq: 0,
  at: '2026-12-01T09:00:00.000Z',
  rolloutId,
  bundle: { name: 'checkout-timeouts', version: '3', hash: 'b'.repeat(64) },
  strategy,
  environmentsBefore: { dev: 'snap-dev-0' },
  by: 'olivia',
});

const paused = (by: string): RolloutEvent => ({
  type: 'Paused',
  seq: 1,
  at: '2026-12-01T09:01:00.000Z',
  by,
  reason: `${by} pauses`,
});
const pauseAudit = (rolloutId: string, by: string) => ({
  type: 'RolloutPaused',
  at: '2026-12-01T09:01:00.000Z',
  actor: by,
  subject: rolloutId,
  detail: { rolloutId, by },
});

const audited = async (rolloutId: string) =>
  (await h.store.audit.listEvents({ chain: ROLLOUT_CHAIN })).filter((e) => e.subject === rolloutId);

type Fault = 'before' | 'after';

/** A store whose next rollout transaction fails: before it reaches the table, or after it committed. */
const faulty = (fault: Fault): ConvoyStore => {
  const doc: DynamoDBDocumentClient = h.freshClient();
  let armed = true;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (!armed || context.commandName !== 'TransactWriteItemsCommand') return next(args);
      armed = false;
      if (fault === 'before')
        throw Object.assign(new Error('injected: never sent'), { name: 'TimeoutError' });
      await next(args);
      throw Object.assign(new Error('injected: the answer was lost'), { name: 'TimeoutError' });
    },
    { step: 'initialize', name: 'inject-fault' },
  );
  return h.storeWith(doc);
};

describe('rollout audit outbox', () => {
  it('writes the start with its audit event; a retried create adds neither', async () => {
    await h.store.rollouts.create(started('ro-both'), startedAudit(started('ro-both')));
    await h.store.rollouts.create(started('ro-both'), startedAudit(started('ro-both')));
    expect(await h.store.rollouts.events('ro-both')).toHaveLength(1);
    expect(await audited('ro-both')).toMatchObject([{ type: 'RolloutStarted', actor: 'olivia' }]);
  });

  it.each<[Fault, number]>([
    ['before', 0],
    ['after', 1],
  ])(
    'a create failing %s its commit leaves both or neither, and its retry exactly one of each',
    async (fault, left) => {
      const id = `ro-create-${fault}`;
      await expect(faulty(fault).rollouts.create(started(id), startedAudit(started(id)))).rejects.toThrow();
      expect((await h.store.rollouts.get(id)) === undefined ? 0 : 1).toBe(left);
      expect(await audited(id)).toHaveLength(left);
      await h.store.rollouts.create(started(id), startedAudit(started(id)));
      expect(await h.store.rollouts.events(id)).toHaveLength(1);
      expect(await audited(id)).toHaveLength(1);
    },
  );

  it.each<[Fault, number]>([
    ['before', 0],
    ['after', 1],
  ])('an audited append failing %s its commit leaves both or neither', async (fault, left) => {
    const id = `ro-append-${fault}`;
    await h.store.rollouts.create(started(id), startedAudit(started(id)));
    await expect(
      faulty(fault).rollouts.append(id, [paused('olivia')], pauseAudit(id, 'olivia')),
    ).rejects.toThrow();
    expect((await h.store.rollouts.events(id)).length - 1).toBe(left);
    expect((await audited(id)).filter((e) => e.type === 'RolloutPaused')).toHaveLength(left);
    await h.store.rollouts.append(id, [paused('olivia')], pauseAudit(id, 'olivia'));
    expect(await h.store.rollouts.events(id)).toHaveLength(2);
    expect((await audited(id)).filter((e) => e.type === 'RolloutPaused')).toHaveLength(1);
  });

  it('audits only the winner of concurrent audited appends of one seq', async () => {
    await h.store.rollouts.create(started('ro-race'), startedAudit(started('ro-race')));
    const racers = Array.from({ length: 8 }, (_, i) => `racer-${i}`);
    const results = await Promise.allSettled(
      racers.map((by) => h.store.rollouts.append('ro-race', [paused(by)], pauseAudit('ro-race', by))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [winner] = (await h.store.rollouts.events('ro-race')).slice(1) as EventOf<'Paused'>[];
    const pauses = (await audited('ro-race')).filter((e) => e.type === 'RolloutPaused');
    expect(pauses).toHaveLength(1);
    expect(pauses[0]?.actor).toBe(winner?.by);
  });
});
