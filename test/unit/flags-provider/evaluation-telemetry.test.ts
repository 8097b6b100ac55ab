import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConvoyError } from '#domain/core/errors.ts';
import { buildFlagSet } from '#api/flags/flag-set.ts';
import { EvaluationTelemetry, httpMetricsSender } from '#flags-provider/evaluation-telemetry.ts';
import type { MetricsBatch } from '#flags-provider/evaluation-telemetry.ts';
import { ConvoyProvider } from '#flags-provider/convoy-provider.ts';
import { booleanFlag } from '../../support/flags.ts';
import { countIdentity, hourBucketOf, sumCounts, tallyEvaluations } from '#domain/flags/evaluation-counts.ts';

const at = Date.parse('2026-12-01T10:15:00Z');
const recorder = () => {
  const sent: { environment: string; body: MetricsBatch }[] = [];
  return {
    sent,
    send: (environment: string, body: MetricsBatch): Promise<void> => {
      sent.push({ environment, body });
      return Promise.resolve();
    },
  };
};

describe('evaluation counts (domain)', () => {
  it('sums counts by flag, variant and reason, and buckets by UTC hour', () => {
    expect(
      tallyEvaluations([
        { key: 'a.b', variant: 'on', reason: 'STATIC' },
        { key: 'a.b', variant: 'on', reason: 'STATIC' },
        { key: 'a.b', reason: 'ERROR' },
        { key: 'a.a', variant: 'off', reason: 'DISABLED' },
      ]),
    ).toEqual([
      { flag: 'a.a', variant: 'off', reason: 'DISABLED', count: 1 },
      { flag: 'a.b', variant: 'on', reason: 'STATIC', count: 2 },
      { flag: 'a.b', reason: 'ERROR', count: 1 },
    ]);
    expect(
      sumCounts([
        { flag: 'a.b', reason: 'X', count: 2 },
        { flag: 'a.b', reason: 'X', count: 3 },
      ]),
    ).toEqual([{ flag: 'a.b', reason: 'X', count: 5 }]);
    expect(countIdentity({ flag: 'f', reason: 'R' })).not.toBe(
      countIdentity({ flag: 'f', variant: 'v', reason: 'R' }),
    );
    expect(hourBucketOf(at)).toBe('2026-12-01T10');
  });
});

describe('EvaluationTelemetry', () => {
  it('sends one batch per bucket, then nothing until something is counted', async () => {
    const { sent, send } = recorder();
    let now = at;
    const telemetry = new EvaluationTelemetry({ send, now: () => now, appName: 'web', instanceId: 'web-1' });
    await telemetry.flush('prod');
    expect(sent).toEqual([]);
    telemetry.count('a.b', 'on', 'STATIC');
    now += 30_000;
    telemetry.count('a.b', 'on', 'STATIC');
    telemetry.count('a.b', undefined, 'ERROR');
    now += 30_000;
    await telemetry.flush('prod');
    expect(sent).toEqual([
      {
        environment: 'prod',
        body: {
          appName: 'web',
          instanceId: 'web-1',
          bucket: {
            start: '2026-12-01T10:15:00.000Z',
            stop: '2026-12-01T10:16:00.000Z',
            counts: [
              { flag: 'a.b', variant: 'on', reason: 'STATIC', count: 2 },
              { flag: 'a.b', reason: 'ERROR', count: 1 },
            ],
          },
        },
      },
    ]);
    await telemetry.flush('prod');
    expect(sent).toHaveLength(1);
  });

  it('bounds its buffer: new combinations beyond maxEntries are dropped and counted, held ones keep counting', () => {
    const telemetry = new EvaluationTelemetry({ send: recorder().send, now: () => at, maxEntries: 2 });
    telemetry.count('a.a', 'on', 'STATIC');
    telemetry.count('a.b', 'on', 'STATIC');
    telemetry.count('a.c', 'on', 'STATIC');
    telemetry.count('a.c', 'on', 'STATIC');
    telemetry.count('a.a', 'on', 'STATIC');
    expect(telemetry.pending).toEqual([
      { flag: 'a.a', variant: 'on', reason: 'STATIC', count: 2 },
      { flag: 'a.b', variant: 'on', reason: 'STATIC', count: 1 },
    ]);
    expect(telemetry.dropped).toBe(2);
  });

  it('sends a failed batch again as it was, with its id, before a new batch of what was counted since', async () => {
    let now = at;
    let fail = true;
    const sent: { body: MetricsBatch; id: string }[] = [];
    const ids = ['batch-1', 'batch-2', 'batch-3'];
    const telemetry = new EvaluationTelemetry({
      now: () => now,
      batchId: () => ids.shift() ?? 'none',
      send: (_env, body, id) => {
        sent.push({ body, id });
        return fail ? Promise.reject(new Error('answer lost')) : Promise.resolve();
      },
    });
    telemetry.count('a.b', 'on', 'STATIC');
    await expect(telemetry.flush('prod')).rejects.toThrow('answer lost');
    now += 60_000;
    telemetry.count('a.b', 'on', 'STATIC');
    expect(telemetry.pending).toEqual([{ flag: 'a.b', variant: 'on', reason: 'STATIC', count: 2 }]);
    // Still failing: the retry is the same batch, and the new counts wait.
    await expect(telemetry.flush('prod')).rejects.toThrow('answer lost');
    fail = false;
    await telemetry.flush('prod');
    const first = {
      start: '2026-12-01T10:15:00.000Z',
      stop: '2026-12-01T10:15:00.000Z',
      counts: [{ flag: 'a.b', variant: 'on', reason: 'STATIC', count: 1 }],
    };
    expect(sent.map((s) => [s.id, s.body.bucket])).toEqual([
      ['batch-1', first],
      ['batch-1', first],
      ['batch-1', first],
      [
        'batch-2',
        {
          start: '2026-12-01T10:16:00.000Z',
          stop: '2026-12-01T10:16:00.000Z',
          counts: [{ flag: 'a.b', variant: 'on', reason: 'STATIC', count: 1 }],
        },
      ],
    ]);
    expect(telemetry.pending).toEqual([]);
    await telemetry.flush('prod');
    expect(sent).toHaveLength(4);
  });

  it('drops a batch the server refuses for good (4xx), counting it as dropped; retries a 429', async () => {
    const statuses = [429, 400];
    const ids: string[] = [];
    const telemetry = new EvaluationTelemetry({
      now: () => at,
      send: (_env, _body, id) => {
        ids.push(id);
        const status = statuses.shift();
        return Promise.reject(new ConvoyError('unavailable', `answered ${status}`, { context: { status } }));
      },
    });
    telemetry.count('a.b', 'on', 'STATIC', 3);
    await expect(telemetry.flush('prod')).rejects.toThrow('429');
    expect(telemetry.dropped).toBe(0);
    await expect(telemetry.flush('prod')).rejects.toThrow('400');
    expect([telemetry.dropped, telemetry.pending]).toEqual([3, []]);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('posts JSON to the environment metrics route, and throws on a non-2xx answer', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetch = ((url: string, init: RequestInit) => {
      calls.push({ url, init });
      return Promise.resolve(new Response(null, { status: calls.length === 1 ? 202 : 503 }));
    }) as unknown as typeof globalThis.fetch;
    const send = httpMetricsSender({
      api: 'https://convoy.test/api/',
      headers: { authorization: 'x' },
      fetch,
    });
    const body: MetricsBatch = { bucket: { start: 'a', stop: 'b', counts: [] } };
    await send('prod eu', body, 'batch-7');
    expect(calls[0]?.url).toBe('https://convoy.test/api/environments/prod%20eu/flags/metrics');
    expect(calls[0]?.init).toMatchObject({ method: 'POST', body: JSON.stringify(body) });
    expect(calls[0]?.init.headers).toMatchObject({ authorization: 'x', 'idempotency-key': 'batch-7' });
    await expect(send('prod', body, 'batch-8')).rejects.toThrow('503');
    expect(httpMetricsSender({ api: 'x' })).toBeTypeOf('function');
  });
});

describe('ConvoyProvider telemetry', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const set = buildFlagSet({
    environment: 'prod',
    version: 1,
    flags: {
      'a.b': booleanFlag(),
    },
  });

  it('counts each resolution (and not-ready errors), sends on the interval and on close', async () => {
    vi.useFakeTimers();
    const { sent, send } = recorder();
    const provider = new ConvoyProvider({
      source: { loader: (etag) => Promise.resolve(etag === undefined ? set : undefined) },
      pollIntervalMs: 0,
      now: () => at,
      telemetry: { intervalMs: 1000, send },
    });
    provider.resolve('a.b', 'boolean', false, {});
    await provider.flushMetrics(); // not loaded: no environment to send to yet
    expect(provider.metrics.pending).toEqual([{ flag: 'a.b', reason: 'ERROR', count: 1 }]);
    await provider.initialize();
    provider.resolve('a.b', 'boolean', false, {});
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.map((s) => s.body.bucket.counts)).toEqual([
      [
        { flag: 'a.b', reason: 'ERROR', count: 1 },
        { flag: 'a.b', variant: 'on', reason: 'STATIC', count: 1 },
      ],
    ]);
    await provider.resolveBooleanEvaluation('a.b', false, {});
    await provider.onClose();
    expect(sent).toHaveLength(2);
    expect(provider.metrics).toEqual({ pending: [], dropped: 0 });
  });

  it('is off with telemetry false, and off by default for a non-API source', () => {
    for (const telemetry of [false as const, undefined]) {
      const provider = new ConvoyProvider({
        source: { loader: () => Promise.resolve(set) },
        ...(telemetry === undefined ? {} : { telemetry }),
      });
      provider.resolve('a.b', 'boolean', false, {});
      expect(provider.metrics).toEqual({ pending: [], dropped: 0 });
    }
  });

  it('sends to the API by default with the API source, and a failed last send does not fail close', async () => {
    const urls: string[] = [];
    const fetch = ((url: string) => {
      urls.push(url);
      return Promise.resolve(
        url.endsWith('/metrics')
          ? new Response(null, { status: 500 })
          : new Response(JSON.stringify(set), { status: 200 }),
      );
    }) as unknown as typeof globalThis.fetch;
    const provider = new ConvoyProvider({
      source: { api: 'https://convoy.test', environment: 'prod', fetch, headers: {} },
      pollIntervalMs: 0,
      telemetry: { intervalMs: 0 },
    });
    await provider.initialize();
    provider.resolve('a.b', 'boolean', false, {});
    await provider.onClose();
    expect(urls).toEqual([
      'https://convoy.test/environments/prod/flags',
      'https://convoy.test/environments/prod/flags/metrics',
    ]);
  });
});
