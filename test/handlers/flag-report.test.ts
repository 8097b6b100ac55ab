import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FlagReport } from '#domain/flags/flag-report.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { deployableFlags, flagCatalogDocument, flagsBundle } from '../support/flags.ts';

const deployedAt = new Date('2026-10-01T09:00:00Z');
const reportAt = new Date('2026-11-15T12:00:00Z');
const hoursAgo = (hours: number): string =>
  new Date(reportAt.getTime() - hours * 3_600_000).toISOString().slice(0, 13);
const base = '/environments/prod-eu';

const golden = (name: string, text: string): void => {
  const url = new URL(`../fixtures/flags/report/${name}`, import.meta.url);
  // UPDATE_GOLDEN=1 rewrites the files; review the diff before committing it.
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(url, text);
  expect(text).toBe(readFileSync(url, 'utf8'));
};

describe('flag report on seeded data (DynamoDB Local)', () => {
  let api: TestApi;
  let report: FlagReport;
  const findings = (key: string): string[] =>
    report.flags
      .find((f) => f.key === key)
      ?.findings.map((f) => (f.kind === 'stale' ? `stale:${f.reason}` : f.kind)) ?? [];

  beforeAll(async () => {
    api = await createTestApi();
    api.clock.now = deployedAt;
    expect((await api.call('PUT', '/catalog', { body: flagCatalogDocument() })).status).toBe(200);
    expect((await api.call('POST', '/bundles', { body: flagsBundle })).status).toBe(201);
    for (const env of ['staging', 'prod-eu']) {
      const res = await api.call('POST', `/environments/${env}/deployments`, {
        body: { bundle: 'checkout-flags@1' },
      });
      expect(res.status, res.text).toBe(201);
    }
    // staging moves on: checkout.static is switched off there, so prod-eu drifts from it.
    const off = { ...(deployableFlags['checkout.static'] as object), enabled: false };
    const next = { ...flagsBundle, version: '2', changes: [{ set: 'checkout.static', value: off }] };
    expect((await api.call('POST', '/bundles', { body: next })).status).toBe(201);
    api.clock.now = new Date('2026-10-20T09:00:00Z');
    expect(
      (await api.call('POST', '/environments/staging/deployments', { body: { bundle: 'checkout-flags@2' } }))
        .status,
    ).toBe(201);
    // Telemetry: static served one variant only (stale), split served both, disabled last evaluated 10 days ago.
    const record = (
      env: string,
      hour: string,
      counts: { flag: string; variant: string; reason: string; count: number }[],
    ) => api.store.flagMetrics.record(env, hour, counts, 2_000_000_000);
    await record('prod-eu', hoursAgo(24), [
      { flag: 'checkout.static', variant: 'on', reason: 'STATIC', count: 5000 },
      { flag: 'checkout.split', variant: 'a', reason: 'SPLIT', count: 300 },
    ]);
    await record('prod-eu', hoursAgo(30), [
      { flag: 'checkout.split', variant: 'b', reason: 'SPLIT', count: 700 },
    ]);
    await record('prod-eu', hoursAgo(240), [
      { flag: 'checkout.disabled', variant: 'off', reason: 'DISABLED', count: 10 },
    ]);
    // Evaluated in another environment only: not orphaned.
    await record('staging', hoursAgo(5), [
      { flag: 'checkout.targeted', variant: 'on', reason: 'TARGETING_MATCH', count: 2 },
    ]);
    api.clock.now = reportAt;
    const res = await api.call('GET', `${base}/flags/report`);
    expect(res.status, res.text).toBe(200);
    report = res.json as FlagReport;
  });

  it('lists every flag with state, variants served and shares, and its last change', () => {
    expect(report.flags.map((f) => f.key)).toEqual(Object.keys(deployableFlags).sort());
    const split = report.flags.find((f) => f.key === 'checkout.split');
    expect(split).toMatchObject({
      state: 'enabled',
      evaluations: 1000,
      variants: [
        { variant: 'b', count: 700, share: 0.7 },
        { variant: 'a', count: 300, share: 0.3 },
      ],
      lastChange: { bundle: 'checkout-flags@1', principal: 'olivia', at: deployedAt.toISOString() },
      requirements: { met: true },
    });
    expect(report.flags.find((f) => f.key === 'checkout.killed')?.state).toBe('killed');
    expect(report.flags.find((f) => f.key === 'checkout.disabled')?.state).toBe('disabled');
  });

  it('stale: one variant at 100% with no change for 30 days; or not evaluated for 7 days', () => {
    expect(findings('checkout.static')).toContain('stale:dominant-variant');
    expect(findings('checkout.split')).toEqual([]);
    expect(findings('checkout.disabled')).toEqual(['stale:unused']);
  });

  it('orphaned: prerequisite of nothing and evaluated nowhere; not when evaluated in another environment', () => {
    expect(findings('checkout.operators')).toEqual(['stale:unused', 'orphaned']);
    expect(findings('checkout.targeted')).toEqual(['stale:unused']);
  });

  it('drift: differs from another environment of the path', () => {
    expect(report.flags.find((f) => f.key === 'checkout.static')?.findings).toContainEqual({
      kind: 'drift',
      environments: ['staging'],
    });
    expect(report.summary).toMatchObject({ drift: 1, inert: 0 });
  });

  it('takes thresholds as options', async () => {
    const res = await api.call('GET', `${base}/flags/report?unusedDays=14&staleDays=60`);
    const byKey = new Map((res.json as FlagReport).flags.map((f) => [f.key, f.findings.map((x) => x.kind)]));
    expect(byKey.get('checkout.disabled')).toEqual([]);
    expect(byKey.get('checkout.static')).toEqual(['drift']);
  });

  it('renders Markdown and a table (golden files)', async () => {
    const md = await api.call('GET', `${base}/flags/report?format=md`);
    expect(md.headers['content-type']).toContain('text/markdown');
    golden('prod-eu.md', md.text);
    const table = await api.call('GET', `${base}/flags/report?format=table`);
    golden('prod-eu.txt', table.text);
  });

  it.each([
    ['staleDays=abc', 'query.staleDays'],
    ['dominantShare=2', 'query.dominantShare'],
    ['format=pdf', 'query.format'],
    ['since=yesterday', 'query.since'],
    ['unknown=1', 'query.unknown'],
  ])('refuses %s naming the field', async (query, path) => {
    const res = await api.call('GET', `${base}/flags/report?${query}`);
    expect(res.status).toBe(400);
    expect((res.json as { problems: { path: string }[] }).problems.map((p) => p.path)).toContain(path);
  });

  it('answers an environment without flags with an empty report, and 404 for an unknown one', async () => {
    const dev = await api.call('GET', '/environments/dev/flags/report?format=md');
    expect(dev.text).toContain('No flags.');
    expect((await api.call('GET', '/environments/nowhere/flags/report')).status).toBe(404);
  });

  it("GET /environments counts each environment's flags by state (convoy status)", async () => {
    const res = await api.call('GET', '/environments');
    const flags = Object.fromEntries(
      (res.json as { environments: { name: string; flags: unknown }[] }).environments.map((e) => [
        e.name,
        e.flags,
      ]),
    );
    expect(flags['prod-eu']).toEqual({ total: 9, enabled: 7, disabled: 1, killed: 1 });
    expect(flags.dev).toEqual({ total: 0, enabled: 0, disabled: 0, killed: 0 });
  });

  it('reads the period from since', async () => {
    const res = await api.call('GET', `${base}/flags/report?since=2026-11-15T00:00:00Z`);
    const split = (res.json as FlagReport).flags.find((f) => f.key === 'checkout.split');
    expect([(res.json as FlagReport).since, split?.evaluations]).toEqual(['2026-11-15T00:00:00.000Z', 0]);
  });

  it('reports no drift against an environment a running rollout is changing', async () => {
    const strategy = {
      name: 'staging-only',
      phases: [{ name: 'staging', environments: ['staging'], bake: 'PT5M' }],
      health: { alarms: ['{env}-5xx'], interval: 'PT1M' },
    };
    const started = await api.call('POST', '/rollouts', { body: { bundle: 'checkout-flags@1', strategy } });
    expect(started.status, started.text).toBe(201);
    const res = await api.call('GET', `${base}/flags/report`);
    expect((res.json as FlagReport).summary.drift).toBe(0);
  });

  it('a rollback is a last change without a bundle', async () => {
    const back = await api.call('POST', '/environments/staging/rollback', { body: {} });
    expect(back.status, back.text).toBe(201);
    const res = await api.call('GET', '/environments/staging/flags/report');
    const change = (res.json as FlagReport).flags.find((f) => f.key === 'checkout.static')?.lastChange;
    expect(change).toMatchObject({ deployment: 'dpl-staging-3', principal: 'olivia' });
    expect(change?.bundle).toBeUndefined();
  });
});
