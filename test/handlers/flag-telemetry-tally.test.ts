import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EvaluationTally } from '#domain/flags/evaluation-tally.ts';
import { flushEvaluations } from '#app/flags/count-evaluations.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { deployableFlags, flagCatalogDocument, flagsBundle, flagsNow } from '../support/flags.ts';

const base = '/environments/prod-eu';
const hour = flagsNow.toISOString().slice(0, 13);
const flagCount = Object.keys(deployableFlags).length;

/** OFREP counts through a composition root's tally: buffered, written when due, never lost to a failed write. */
describe('OFREP evaluation counts through the tally (DynamoDB Local)', () => {
  let api: TestApi;
  const total = async (): Promise<number> =>
    (await api.store.flagMetrics.list('prod-eu', hour, hour)).reduce((sum, c) => sum + c.count, 0);
  const bulk = async (targetingKey: string) => {
    const res = await api.call('POST', `${base}/ofrep/v1/evaluate/flags`, {
      body: { context: { targetingKey } },
    });
    expect(res.status, res.text).toBe(200);
  };

  beforeAll(async () => {
    api = await createTestApi();
    expect((await api.call('PUT', '/catalog', { body: flagCatalogDocument() })).status).toBe(200);
    expect((await api.call('POST', '/bundles', { body: flagsBundle })).status).toBe(201);
    const deployed = await api.call('POST', `${base}/deployments`, { body: { bundle: 'checkout-flags@1' } });
    expect(deployed.status, deployed.text).toBe(201);
  });
  afterEach(() => {
    delete api.deps.evaluationTally;
  });

  it('answers without writing, and writes every count once the oldest is due', async () => {
    api.clock.now = flagsNow;
    api.deps.evaluationTally = new EvaluationTally(10_000);
    const before = await total();
    const tableBefore = await api.table.dump();
    await bulk('user-1');
    await bulk('user-2');
    expect(await api.table.dump()).toEqual(tableBefore);
    api.clock.now = new Date(flagsNow.getTime() + 10_000);
    await bulk('user-3');
    expect((await total()) - before).toBe(3 * flagCount);
    expect(api.deps.evaluationTally.counters).toBe(0);
  });

  it('a failed write keeps the counts for the next flush, and the evaluation still answers', async () => {
    api.clock.now = flagsNow;
    const tally = new EvaluationTally(0);
    api.deps.evaluationTally = tally;
    const before = await total();
    const record = api.store.flagMetrics.record.bind(api.store.flagMetrics);
    api.store.flagMetrics.record = () => Promise.reject(new Error('throttled'));
    try {
      await bulk('user-4');
    } finally {
      api.store.flagMetrics.record = record;
    }
    expect([await total(), tally.counters > 0]).toEqual([before, true]);
    await flushEvaluations(api.deps, tally);
    expect([(await total()) - before, tally.counters]).toEqual([flagCount, 0]);
  });
});
