import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { depsFromEnvironment } from '#functions/shared/lambda-deps.ts';
import { startApiServer } from '#local/api-server.ts';
import { startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { ensureTable } from '#local/ensure-table.ts';
import { createLocalDynamoDbClient } from '#local/local-clients.ts';
import { FlagdCore } from '@openfeature/flagd-core';
import { OpenFeature } from '@openfeature/server-sdk';
import { InMemStorageProvider, Unleash } from 'unleash-client';
import { sample, type BenchCase } from '../bench-case.ts';
import { buildFlagSet, flagEnvironment, flagSetSchema } from '#api/flags/flag-set.ts';
import { ofrepBulk } from '#api/flags/ofrep.ts';
import { toFlagdFlags } from '#api/formats/flagd-flags.ts';
import { evaluateAll } from '#domain/flags/evaluate-all.ts';
import { evaluate } from '#domain/flags/evaluate.ts';
import type { FlagDefinition } from '#domain/flags/flag.ts';
import { validateFlags } from '#domain/flags/validate.ts';
import { ConvoyProvider } from '#flags-provider/convoy-provider.ts';

/**
 * Issue 11 §5: 1,000 flags, each a 50% rollout behind one constraint (country IN …), 100,000 contexts,
 * context i evaluated against flag i % 1,000. The same flags for every engine: Convoy's own, the
 * Unleash features they bucket identically with (flexibleRollout on userId, groupId = key, 100 buckets,
 * seed 0: checked below), flagd's export of them, and the OpenFeature provider over Convoy's.
 */
const FLAGS = 1_000;
const CONTEXTS = 100_000;
const COUNTRIES = ['DE', 'FR', 'NL', 'US', 'GB', 'ES', 'IT', 'PL'];

const keyOf = (i: number): string => `bench.flag-${i}`;
const flagOf = (i: number): FlagDefinition => ({
  type: 'boolean',
  enabled: true,
  killed: false,
  variants: { on: true, off: false },
  defaultVariant: 'off',
  offVariant: 'off',
  prerequisites: [],
  rules: [
    {
      constraints: [{ attribute: 'country', operator: 'IN', values: COUNTRIES.slice(0, 2 + (i % 4)) }],
      segments: [],
      percentage: { stickiness: 'userId', groupId: keyOf(i), buckets: 100, weight: 50 },
      variant: 'on',
    },
  ],
});
const flagsOf = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [keyOf(i), flagOf(i)]));

const set = buildFlagSet({ environment: 'bench', version: 1, flags: flagsOf(FLAGS) });
const now = Date.parse('2026-03-01T00:00:00Z');
const env = flagEnvironment(set, now);
const keyed = Object.entries(set.flags).map(([key, flag]) => ({ ...flag, key }));
const contexts = Array.from({ length: CONTEXTS }, (_, i) => ({
  targetingKey: `user-${i}`,
  userId: `user-${i}`,
  country: COUNTRIES[i % COUNTRIES.length]!,
}));

const unleashFeatures = Array.from({ length: FLAGS }, (_, i) => ({
  name: keyOf(i),
  enabled: true,
  strategies: [
    {
      name: 'flexibleRollout',
      parameters: { rollout: '50', stickiness: 'userId', groupId: keyOf(i) },
      constraints: [{ contextName: 'country', operator: 'IN', values: COUNTRIES.slice(0, 2 + (i % 4)) }],
    },
  ],
}));

const startUnleash = async (): Promise<Unleash> => {
  const unleash = new Unleash({
    url: 'http://127.0.0.1:9/api/',
    appName: 'convoy-bench',
    refreshInterval: 0,
    disableMetrics: true,
    skipInstanceCountWarning: true,
    storageProvider: new InMemStorageProvider(),
    bootstrap: { data: unleashFeatures as never },
  });
  unleash.on('error', () => undefined);
  unleash.on('warn', () => undefined);
  await once(unleash, 'ready');
  return unleash;
};

const perSecond = (samples: number[]): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return Math.round(CONTEXTS / ((sorted[Math.floor(sorted.length / 2)] ?? Number.NaN) / 1000));
};

const convoyLoop = (): number => {
  let on = 0;
  for (let i = 0; i < CONTEXTS; i += 1) {
    if (evaluate(keyed[i % FLAGS]!, contexts[i]!, env).value === true) on += 1;
  }
  return on;
};

export const cases: BenchCase[] = [
  {
    name: 'flags: Convoy evaluate, 1k flags x 100k contexts',
    target: 'report (evaluations/s)',
    run: async () => {
      const samples = await sample(convoyLoop, 10);
      return { samples, notes: { evaluationsPerSecond: perSecond(samples), servedOn: convoyLoop() } };
    },
  },
  {
    name: 'flags: unleash-client isEnabled, same flags',
    target: 'Convoy >= 2x Unleash',
    run: async () => {
      const unleash = await startUnleash();
      const unleashContexts = contexts.map((c) => ({ userId: c.userId, properties: { country: c.country } }));
      const loop = (): number => {
        let on = 0;
        for (let i = 0; i < CONTEXTS; i += 1)
          if (unleash.isEnabled(keyOf(i % FLAGS), unleashContexts[i])) on += 1;
        return on;
      };
      const servedOn = loop();
      if (servedOn !== convoyLoop()) throw new Error(`Unleash serves ${servedOn} on, Convoy ${convoyLoop()}`);
      // Interleaved with Convoy's loop, so load from other processes weighs on both alike.
      const samples: number[] = [];
      const convoy: number[] = [];
      for (let round = 0; round < 10; round += 1) {
        convoy.push(...(await sample(convoyLoop, 1, 0)));
        samples.push(...(await sample(loop, 1, 0)));
      }
      unleash.destroy();
      const unleashRate = perSecond(samples);
      const ratio = Number((perSecond(convoy) / unleashRate).toFixed(2));
      return {
        samples,
        notes: {
          evaluationsPerSecond: unleashRate,
          servedOn,
          convoyInterleavedPerSecond: perSecond(convoy),
          convoyOverUnleash: ratio,
        },
        met: ratio >= 2,
      };
    },
  },
  {
    name: 'flags: @openfeature/flagd-core, flagd export of the same flags',
    target: 'report (evaluations/s)',
    run: async () => {
      const { document, problems } = toFlagdFlags(set);
      if (problems.length > 0) throw new Error(`flagd export left out ${problems.length} flags`);
      const core = new FlagdCore();
      core.setConfigurations(JSON.stringify(document));
      const loop = (): number => {
        let on = 0;
        for (let i = 0; i < CONTEXTS; i += 1) {
          if (core.resolveBooleanEvaluation(keyOf(i % FLAGS), false, contexts[i]).value) on += 1;
        }
        return on;
      };
      const samples = await sample(loop, 5);
      return { samples, notes: { evaluationsPerSecond: perSecond(samples), servedOn: loop() } };
    },
  },
  {
    name: 'flags: OpenFeature provider path (server-sdk + ConvoyProvider)',
    target: 'report (evaluations/s)',
    run: async () => {
      const provider = new ConvoyProvider({
        source: { loader: () => Promise.resolve(set) },
        pollIntervalMs: 0,
        now: () => now,
      });
      await OpenFeature.setProviderAndWait('bench', provider);
      const client = OpenFeature.getClient('bench');
      const loop = async (): Promise<number> => {
        let on = 0;
        for (let i = 0; i < CONTEXTS; i += 1) {
          if (await client.getBooleanValue(keyOf(i % FLAGS), false, contexts[i])) on += 1;
        }
        return on;
      };
      const samples = await sample(loop, 5);
      const servedOn = await loop();
      // The provider's own synchronous resolve, without the SDK's hook and context pipeline.
      const direct = await sample(() => {
        for (let i = 0; i < CONTEXTS; i += 1)
          provider.resolve(keyOf(i % FLAGS), 'boolean', false, contexts[i]!);
      }, 5);
      await OpenFeature.close();
      return {
        samples,
        notes: {
          evaluationsPerSecond: perSecond(samples),
          servedOn,
          providerResolvePerSecond: perSecond(direct),
        },
      };
    },
  },
  {
    // The pure part of OFREP bulk (no HTTP layer yet): evaluate 100 flags, map, serialise.
    name: 'flags: OFREP bulk body for 100 flags (evaluateAll + ofrepBulk + JSON)',
    target: 'report (p50, p99 per request)',
    run: async () => {
      const hundred = buildFlagSet({ environment: 'bench', version: 1, flags: flagsOf(100) });
      const hundredEnv = flagEnvironment(hundred, now);
      let i = 0;
      const samples = await sample(() => {
        i += 1;
        JSON.stringify(ofrepBulk(evaluateAll(contexts[i % CONTEXTS]!, hundredEnv), hundred.etag).body);
      }, 2_000);
      const sorted = [...samples].sort((a, b) => a - b);
      const at = (q: number): number =>
        Number((sorted[Math.floor(q * sorted.length)] ?? Number.NaN).toFixed(4));
      return { samples, notes: { p50Ms: at(0.5), p99Ms: at(0.99) } };
    },
  },
  {
    name: 'flags: 10k flags load + validate + first evaluation',
    target: 'report',
    run: async () => {
      const text = JSON.stringify(buildFlagSet({ environment: 'bench', version: 1, flags: flagsOf(10_000) }));
      const phases = {
        loadMs: [] as number[],
        validateMs: [] as number[],
        firstEvaluationMs: [] as number[],
      };
      const samples = await sample(() => {
        const t0 = performance.now();
        const loaded = flagSetSchema.parse(JSON.parse(text));
        const t1 = performance.now();
        const { problems } = validateFlags(loaded.flags, loaded.segments);
        if (problems.length > 0) throw new Error(`bench flags are invalid: ${problems[0]?.message}`);
        const t2 = performance.now();
        const first = evaluate(
          { ...loaded.flags[keyOf(0)]!, key: keyOf(0) },
          contexts[0]!,
          flagEnvironment(loaded, now),
        );
        if (first.reason === 'ERROR') throw new Error(first.errorMessage);
        phases.loadMs.push(t1 - t0);
        phases.validateMs.push(t2 - t1);
        phases.firstEvaluationMs.push(performance.now() - t2);
      }, 10);
      const median = (values: number[]) =>
        Number(([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN).toFixed(3));
      return {
        samples,
        notes: {
          medianLoadMs: median(phases.loadMs),
          medianValidateMs: median(phases.validateMs),
          medianFirstEvaluationMs: median(phases.firstEvaluationMs),
        },
      };
    },
  },
  {
    name: 'flags: OFREP bulk, 100 flags, over the embedded HTTP API',
    target: 'report (p50, p99 per request)',
    run: ofrepBulkOverHttp,
  },
];

/**
 * OFREP bulk as a remote SDK sees it: POST /environments/dev/ofrep/v1/evaluate/flags through the
 * embedded HTTP server, middy handler, HEAD and snapshot reads on DynamoDB Local, evaluation of 100
 * flags and the JSON answer. Every request carries a new context (no 304).
 */
async function ofrepBulkOverHttp() {
  const REQUESTS = 500;
  const engine = await startDynamoDbLocal();
  const table = 'bench-ofrep';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const deps = depsFromEnvironment({ CONVOY_DYNAMODB_ENDPOINT: engine.endpoint, CONVOY_TABLE_NAME: table });
  const client = createLocalDynamoDbClient(engine.endpoint);
  await ensureTable(client, table);
  const server = await startApiServer({ port: 0, deps: () => deps });
  const call = async (method: string, path: string, body: unknown): Promise<Response> => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-convoy-principal': 'olivia' },
      body: JSON.stringify(body),
    });
    if (res.status >= 300)
      throw new Error(`${method} ${path}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    return res;
  };
  try {
    const catalog = parse(
      readFileSync(new URL('../../fixtures/catalog.yaml', import.meta.url), 'utf8'),
    ) as Record<string, unknown[]>;
    const hundred = flagsOf(100);
    await call('PUT', '/catalog', {
      ...catalog,
      namespaces: [...(catalog.namespaces ?? []), { name: 'bench', owner: 'payments' }],
      flags: Object.keys(hundred).map((key) => ({ key, type: 'boolean' })),
    });
    const changes = Object.entries(hundred).map(([key, value]) => ({ set: key, value }));
    await call('POST', '/bundles', {
      name: 'bench-flags',
      version: '1',
      release: 'bench',
      team: 'payments',
      changes,
    });
    await call('POST', '/environments/dev/deployments', { bundle: 'bench-flags@1' });
    const samples: number[] = [];
    for (let i = 0; i < REQUESTS + 20; i += 1) {
      const start = performance.now();
      const res = await call('POST', '/environments/dev/ofrep/v1/evaluate/flags', { context: contexts[i] });
      const body = (await res.json()) as { flags: unknown[] };
      if (body.flags.length !== 100) throw new Error(`bulk answered ${body.flags.length} flags`);
      if (i >= 20) samples.push(performance.now() - start);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const at = (q: number) => Number((sorted[Math.floor(q * sorted.length)] ?? Number.NaN).toFixed(3));
    return { samples, notes: { p50Ms: at(0.5), p99Ms: at(0.99) } };
  } finally {
    await server.close();
    client.destroy();
    await engine.stop();
  }
}
