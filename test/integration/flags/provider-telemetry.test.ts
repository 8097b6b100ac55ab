import type { Client } from '@openfeature/server-sdk';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlagSet } from '#api/flags/flag-set.ts';
import { countIdentity, tallyEvaluations } from '#domain/flags/evaluation-counts.ts';
import { ConvoyProvider } from '#flags-provider/convoy-provider.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { deployableFlags, flagCatalogDocument, flagsBundle, flagsNow } from '../../support/flags.ts';

const base = '/environments/prod-eu';
const hour = flagsNow.toISOString().slice(0, 13);

describe('provider evaluation telemetry, end to end on DynamoDB Local', () => {
  let api: TestApi;
  let provider: ConvoyProvider;
  let client: Client;
  let loseNextAnswer = false;
  beforeAll(async () => {
    api = await createTestApi();
    expect((await api.call('PUT', '/catalog', { body: flagCatalogDocument() })).status).toBe(200);
    expect((await api.call('POST', '/bundles', { body: flagsBundle })).status).toBe(201);
    expect(
      (await api.call('POST', `${base}/deployments`, { body: { bundle: 'checkout-flags@1' } })).status,
    ).toBe(201);
    api.clock.now = flagsNow;
    provider = new ConvoyProvider({
      source: {
        loader: async (etag) => {
          const res = await api.call('GET', `${base}/flags`, {
            headers: etag === undefined ? {} : { 'if-none-match': etag },
          });
          return res.status === 304 ? undefined : (res.json as FlagSet);
        },
      },
      pollIntervalMs: 0,
      now: () => flagsNow.getTime(),
      telemetry: {
        intervalMs: 0,
        appName: 'checkout-web',
        send: async (environment, body, batchId) => {
          const res = await api.call('POST', `/environments/${environment}/flags/metrics`, {
            body,
            headers: { 'idempotency-key': batchId },
          });
          if (res.status !== 202) throw new Error(res.text);
          if (loseNextAnswer) {
            loseNextAnswer = false;
            throw new Error('answer lost after the server counted the batch');
          }
        },
      },
    });
    await OpenFeature.setProviderAndWait('telemetry', provider);
    client = OpenFeature.getClient('telemetry');
  });
  afterAll(async () => {
    await OpenFeature.close();
  });

  it('the counts stored equal the evaluations the provider made, sent in batches and on close, a batch retried after a lost answer counted once', async () => {
    const made: { key: string; variant?: string; reason: string }[] = [];
    const evaluate = async (round: number): Promise<void> => {
      for (const [key, flag] of Object.entries(deployableFlags)) {
        for (let user = 0; user < 5; user += 1) {
          const context = { targetingKey: `user-${round}-${user}`, country: user % 2 ? 'DE' : 'US' };
          const { type } = flag;
          const d =
            type === 'boolean'
              ? await client.getBooleanDetails(key, false, context)
              : type === 'string'
                ? await client.getStringDetails(key, '', context)
                : type === 'number'
                  ? await client.getNumberDetails(key, 0, context)
                  : await client.getObjectDetails(key, {}, context);
          made.push({
            key,
            reason: d.reason ?? 'UNKNOWN',
            ...(d.variant === undefined ? {} : { variant: d.variant }),
          });
        }
      }
    };
    await evaluate(1);
    // The server counts the first batch but its answer is lost: the next flush sends it again, with
    // its id, and the server adds nothing (the totals below equal the evaluations made).
    loseNextAnswer = true;
    await expect(provider.flushMetrics()).rejects.toThrow('answer lost');
    expect(provider.metrics.pending).not.toEqual([]);
    await provider.flushMetrics();
    expect(provider.metrics.pending).toEqual([]);
    await evaluate(2);
    await client.getBooleanDetails('checkout.nope', false, { targetingKey: 'x' });
    made.push({ key: 'checkout.nope', reason: 'ERROR' });
    await OpenFeature.clearProviders();
    const stored = await api.store.flagMetrics.list('prod-eu', hour, hour);
    const byIdentity = (a: { flag: string; reason: string }, b: { flag: string; reason: string }) =>
      countIdentity(a).localeCompare(countIdentity(b));
    expect(stored.map(({ hour: _, ...count }) => count).sort(byIdentity)).toEqual(
      tallyEvaluations(made).sort(byIdentity),
    );
    expect(stored.reduce((sum, c) => sum + c.count, 0)).toBe(made.length);
  });
});
