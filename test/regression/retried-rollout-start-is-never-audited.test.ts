import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionTtl } from '../fixtures/bundles.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

/**
 * Symptom (found by the chaos suite, test/chaos): `POST /rollouts` with an Idempotency-Key whose
 * answer was lost after `rollouts.create` committed (or that failed between the create and the
 * `_rollout` audit append) is retried with the same key and answered 201, the workflow starts, but the
 * `RolloutStarted` audit event is never written: the retry takes the replay path, which audits nothing
 * ("a start that fails is retried as a replay, which audits nothing", lib/app/rollouts/start-rollout.ts).
 * An acknowledged rollout then has no audit event; the chains still verify, so nothing reports it.
 *
 * Fixed: the `RolloutStarted` event is written in the create's own transaction
 * (DynamoDbRolloutStore.create), so a committed rollout always carries its audit event and a replay
 * has nothing left to write.
 */
describe('regression: a retried rollout start is never audited', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
    const pushed = await api.call('POST', '/bundles', { body: sessionTtl });
    if (pushed.status !== 201) throw new Error(pushed.text);
  });
  afterAll(async () => {
    await api.table.drop();
  });

  it('audits a rollout whose first answer was lost once the retry acknowledges it', async () => {
    // The rollout's create transaction commits, then its answer is lost (a timeout, as the caller sees it).
    let lost = false;
    api.doc.middlewareStack.add(
      (next, context) => async (args) => {
        const items = (args.input as { TransactItems?: { Put?: { Item?: { pk?: string } } }[] })
          .TransactItems;
        const creates = (items ?? []).some((i) => (i.Put?.Item?.pk ?? '').startsWith('ROLLOUT#'));
        if (context.commandName !== 'TransactWriteItemsCommand' || !creates || lost) return next(args);
        lost = true;
        await next(args);
        throw Object.assign(new Error('injected: the answer was lost'), { name: 'TimeoutError' });
      },
      { step: 'initialize', name: 'lose-rollout-create-answer' },
    );
    const start = () =>
      api.call('POST', '/rollouts', {
        body: {
          bundle: `${sessionTtl.name}@${sessionTtl.version}`,
          strategy: {
            name: 'one',
            phases: [{ name: 'dev', environments: ['dev'], bake: 'PT5M' }],
            health: { alarms: ['{env}-5xx'], interval: 'PT30S' },
          },
        },
        headers: { 'idempotency-key': 'ci-start-1' },
      });
    const first = await start();
    api.doc.middlewareStack.remove('lose-rollout-create-answer');
    expect(first.status).toBeGreaterThanOrEqual(500);
    const retried = await start();
    expect(retried.status).toBe(201);
    const id = retried.json.id as string;
    expect(api.integrations.started.map((s) => s.name)).toContain(id);
    const audited = (await api.store.audit.listEvents({ chain: '_rollout' })).filter(
      (e) => e.type === 'RolloutStarted' && e.subject === id,
    );
    expect(audited).toHaveLength(1);
  });
});
