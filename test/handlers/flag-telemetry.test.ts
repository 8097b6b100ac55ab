import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';
import { deployableFlags, flagCatalogDocument, flagsBundle, flagsNow } from '../support/flags.ts';

const base = '/environments/prod-eu';
const hour = flagsNow.toISOString().slice(0, 13);
type Count = { flag: string; variant?: string; reason: string; count: number };
const total = (counts: Count[], flag?: string): number =>
  counts.filter((c) => flag === undefined || c.flag === flag).reduce((sum, c) => sum + c.count, 0);

describe('flag evaluation telemetry (DynamoDB Local)', () => {
  let api: TestApi;
  const list = (): Promise<Count[]> => api.store.flagMetrics.list('prod-eu', hour, hour);
  beforeAll(async () => {
    api = await createTestApi();
    expect((await api.call('PUT', '/catalog', { body: flagCatalogDocument() })).status).toBe(200);
    expect((await api.call('POST', '/bundles', { body: flagsBundle })).status).toBe(201);
    const deployed = await api.call('POST', `${base}/deployments`, { body: { bundle: 'checkout-flags@1' } });
    expect(deployed.status, deployed.text).toBe(201);
    api.clock.now = flagsNow;
  });

  it('OFREP single and bulk evaluations count themselves: counts equal the evaluations made', async () => {
    const before = total(await list());
    const users = Array.from({ length: 12 }, (_, i) => `user-${i}`);
    for (const targetingKey of users) {
      const res = await api.call('POST', `${base}/ofrep/v1/evaluate/flags/checkout.static`, {
        body: { context: { targetingKey } },
      });
      expect(res.status).toBe(200);
    }
    const bulk = await api.call('POST', `${base}/ofrep/v1/evaluate/flags`, {
      body: { context: { targetingKey: 'user-0' } },
    });
    const bulkFlags = (bulk.json as { flags: { key: string }[] }).flags;
    expect(bulkFlags.length).toBe(Object.keys(deployableFlags).length);
    // A 304 evaluates nothing, and counts nothing.
    const again = await api.call('POST', `${base}/ofrep/v1/evaluate/flags`, {
      body: { context: { targetingKey: 'user-0' } },
      headers: { 'if-none-match': String(bulk.headers.etag) },
    });
    expect(again.status).toBe(304);
    const counts = await list();
    expect(total(counts) - before).toBe(users.length + bulkFlags.length);
    expect(total(counts, 'checkout.static')).toBe(users.length + 1);
    expect(counts.filter((c) => c.flag === 'checkout.static')).toEqual([
      { hour, flag: 'checkout.static', variant: 'on', reason: 'STATIC', count: users.length + 1 },
    ]);
  });

  it('an environment without flags evaluates, and counts, nothing', async () => {
    const before = await api.table.dump();
    const res = await api.call('POST', '/environments/dev/ofrep/v1/evaluate/flags', {
      body: { context: { targetingKey: 'u' } },
    });
    expect([res.status, res.json.flags]).toEqual([200, []]);
    expect(await api.table.dump()).toEqual(before);
  });

  it('provider batches sum atomically, also when sent concurrently', async () => {
    const start = flagsNow.toISOString();
    const stop = new Date(flagsNow.getTime() + 60_000).toISOString();
    const before = (await list()).find((c) => c.flag === 'checkout.batched')?.count ?? 0;
    const batch = {
      appName: 'web',
      instanceId: 'web-1',
      bucket: {
        start,
        stop,
        counts: [{ flag: 'checkout.batched', variant: 'a', reason: 'SPLIT', count: 7 }],
      },
    };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => api.call('POST', `${base}/flags/metrics`, { body: batch })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 10 }, () => 202));
    expect(answers[0]?.json).toMatchObject({ environment: 'prod-eu', counted: 7 });
    const after = (await list()).find((c) => c.flag === 'checkout.batched')?.count;
    expect(after).toBe(before + 70);
  });

  describe('a batch sent with an Idempotency-Key counts once', () => {
    const start = flagsNow.toISOString();
    const stop = new Date(flagsNow.getTime() + 60_000).toISOString();
    const keyedBatch = (flag: string, count: number) => ({
      appName: 'web',
      instanceId: 'web-2',
      bucket: { start, stop, counts: [{ flag, variant: 'a', reason: 'SPLIT', count }] },
    });
    const post = (body: unknown, key: string) =>
      api.call('POST', `${base}/flags/metrics`, { body, headers: { 'idempotency-key': key } });
    const countOf = async (flag: string) => (await list()).find((c) => c.flag === flag)?.count ?? 0;

    it('a replay adds nothing and is answered as the first time; the table is as it was', async () => {
      const first = await post(keyedBatch('checkout.keyed', 5), 'batch-1');
      expect(first.status, first.text).toBe(202);
      expect(await countOf('checkout.keyed')).toBe(5);
      const table = await api.table.dump();
      const again = await post(keyedBatch('checkout.keyed', 5), 'batch-1');
      expect([again.status, again.json]).toEqual([first.status, first.json]);
      expect(await api.table.dump()).toEqual(table);
    });

    it('the same batch sent concurrently counts once; another batch counts', async () => {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => post(keyedBatch('checkout.racing', 3), 'batch-race')),
      );
      expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 8 }, () => 202));
      expect(await countOf('checkout.racing')).toBe(3);
      expect((await post(keyedBatch('checkout.racing', 4), 'batch-race-2')).status).toBe(202);
      expect(await countOf('checkout.racing')).toBe(7);
    });

    it('the key with another batch (or another principal) is 422 naming the header, writing nothing', async () => {
      const table = await api.table.dump();
      const other = await post(keyedBatch('checkout.keyed', 6), 'batch-1');
      expect(other.status).toBe(422);
      expect(other.json.problems[0]).toMatchObject({
        code: 'idempotency.mismatch',
        path: 'header.idempotency-key',
      });
      const vera = await api.call('POST', `${base}/flags/metrics`, {
        body: keyedBatch('checkout.keyed', 5),
        headers: { 'idempotency-key': 'batch-1' },
        as: 'vera',
      });
      expect(vera.status).toBe(422);
      expect(await api.table.dump()).toEqual(table);
    });

    it('a batch larger than one transaction counts each part once, also when sent again', async () => {
      const counts = Array.from({ length: 150 }, (_, i) => ({
        flag: `checkout.many${i}`,
        reason: 'STATIC',
        count: 2,
      }));
      const big = { bucket: { start, stop, counts } };
      const totalOf = async () => total((await list()).filter((c) => c.flag.startsWith('checkout.many')));
      expect((await post(big, 'batch-big')).json).toMatchObject({ counted: 300 });
      const table = await api.table.dump();
      expect((await post(big, 'batch-big')).json).toMatchObject({ counted: 300 });
      expect(await totalOf()).toBe(300);
      expect(await api.table.dump()).toEqual(table);
      const markers = (table as Record<string, { S?: string; N?: string }>[]).filter(
        (item) => item.type?.S === 'flag-metrics-batch' && item.idempotencyKey?.S === 'batch-big',
      );
      expect(markers).toHaveLength(2);
      for (const marker of markers)
        expect(Number(marker.expiresAt?.N)).toBe(flagsNow.getTime() / 1000 + 86_400);
    });

    it('refuses a malformed key (400 naming the header), writing nothing', async () => {
      const table = await api.table.dump();
      const res = await post(keyedBatch('checkout.keyed', 1), 'bad key with spaces');
      expect(res.status).toBe(400);
      expect(res.json.problems[0].path).toBe('header.idempotency-key');
      expect(await api.table.dump()).toEqual(table);
    });
  });

  it('sets the table TTL attribute on every counter', async () => {
    // The dump is raw attribute values: { S: ... }, { N: ... }.
    const raw = (await api.table.dump()) as Record<string, { S?: string; N?: string }>[];
    const items = raw.filter((item) => item.type?.S === 'flag-metric');
    expect(items.length).toBeGreaterThan(0);
    for (const item of items)
      expect(Number(item.expiresAt?.N)).toBeGreaterThan(flagsNow.getTime() / 1000 + 89 * 86_400);
  });

  const bucket = { start: '2026-01-01T00:00:00Z', stop: '2026-01-01T00:01:00Z' };
  const ok = { flag: 'checkout.static', variant: 'on', reason: 'STATIC', count: 1 };
  it.each([
    ['an unknown member', { bucket: { ...bucket, counts: [ok] }, extra: 1 }, 'body.extra'],
    [
      'a count that is not positive',
      { bucket: { ...bucket, counts: [{ ...ok, count: 0 }] } },
      'body.bucket.counts[0].count',
    ],
    [
      'a fractional count',
      { bucket: { ...bucket, counts: [{ ...ok, count: 1.5 }] } },
      'body.bucket.counts[0].count',
    ],
    [
      'an unknown reason',
      { bucket: { ...bucket, counts: [{ ...ok, reason: 'MAYBE' }] } },
      'body.bucket.counts[0].reason',
    ],
    [
      'a malformed flag key',
      { bucket: { ...bucket, counts: [{ ...ok, flag: 'NO KEY' }] } },
      'body.bucket.counts[0].flag',
    ],
    ['no counts', { bucket: { ...bucket, counts: [] } }, 'body.bucket.counts'],
    [
      'a bucket ending before it starts',
      { bucket: { ...bucket, stop: '2025-12-31T00:00:00Z', counts: [ok] } },
      'body.bucket.stop',
    ],
    [
      'a bucket in the future',
      { bucket: { start: '2099-01-01T00:00:00Z', stop: '2099-01-01T00:01:00Z', counts: [ok] } },
      'body.bucket.stop',
    ],
    [
      'a bucket older than the retention',
      { bucket: { start: '2020-01-01T00:00:00Z', stop: '2020-01-01T00:01:00Z', counts: [ok] } },
      'body.bucket.start',
    ],
  ])('refuses %s (4xx naming the field), writing nothing', async (_name, body, path) => {
    const before = await api.table.dump();
    const res = await api.call('POST', `${base}/flags/metrics`, { body });
    expect(res.status, res.text).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((res.json as { problems: { path: string }[] }).problems.map((p) => p.path)).toContain(path);
    expect(await api.table.dump()).toEqual(before);
  });

  it('refuses an unknown environment with 404', async () => {
    const res = await api.call('POST', '/environments/nowhere/flags/metrics', {
      body: { bucket: { start: flagsNow.toISOString(), stop: flagsNow.toISOString(), counts: [ok] } },
    });
    expect(res.status).toBe(404);
  });
});
