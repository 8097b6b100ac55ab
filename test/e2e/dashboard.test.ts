import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { synthetic } from '../fixtures/dependencies/synthetic.ts';
import { advance, deployed } from '../integration/rollout-api/support.ts';
import { cliEnv, convoy } from './support/convoy-process.ts';
import {
  backgroundOf,
  openView,
  screenshot,
  seriousViolations,
  startDashboard,
  type Dashboard,
} from './support/dashboard.ts';

/**
 * The release dashboard in headless Chromium, one seeded demo runtime for every view. Views that only
 * read come first; the flows that change state (a flag killed in dev, rollouts started and rolled
 * back) come last, so that no view reads what another changed.
 */
let dashboard: Dashboard;
beforeAll(async () => {
  dashboard = await startDashboard('olivia');
});
afterAll(async () => {
  await dashboard.close();
});

const paints: Record<string, number> = {};
afterAll(() => {
  console.log(`dashboard first meaningful paints (ms): ${JSON.stringify(paints)}`);
});

describe('dashboard: releases and environments', () => {
  it('serves the page and its bundle at / and /ui/ from the API server, beside the API', async () => {
    const page = await fetch(`${dashboard.server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const script = await fetch(`${dashboard.server.url}/ui/app.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([
      200,
      'text/javascript; charset=utf-8',
    ]);
    expect((await fetch(`${dashboard.server.url}/ui/nope.js`)).status).toBe(404);
    // The API is unchanged: still problem+json without a principal.
    expect((await fetch(`${dashboard.server.url}/environments`)).status).toBe(401);
  });

  it('shows the matrix of releases × environments with HEADs, services, partial releases and who deployed', async () => {
    const { page } = dashboard;
    const paint = await openView(dashboard, '#/releases', 'releases');
    paints.releases = Math.round(paint);
    const table = page.locator('table.matrix');
    await expect
      .poll(() => table.locator('thead th').allInnerTexts())
      .toEqual(['Release / bundle', 'dev', 'staging', 'prod-eu', 'prod-us']);
    expect(await page.locator('.head-row td').allInnerTexts()).toEqual([
      expect.stringMatching(/^v8\s+deploy by olivia · 23 Nov 2026, 10:00$/),
      expect.stringMatching(/^v5\s+deploy by olivia/),
      expect.stringMatching(/^v5\s+flag-kill-switch by olivia/),
      expect.stringMatching(/^v2\s+deploy by olivia/),
    ]);
    expect(
      await page.locator('tr.service-row', { hasText: 'checkout-api' }).locator('td').allInnerTexts(),
    ).toEqual(['2.4.0', '2.4.0', '2.3.1', '2.2.9']);
    // Each release's bundles and readiness come after the first paint (validated together).
    await page.locator('[data-view="releases"][data-detailed="true"]').waitFor();
    // 2026.12-R1 is partial everywhere: amber, with live counts and the way out.
    const r1 = page.locator('tr.release-row[data-release="2026.12-R1"]');
    expect(await r1.locator('td .badge').allInnerTexts()).toEqual([
      'partial 8/9',
      'partial 5/9',
      'partial 4/9',
      'partial 2/9',
    ]);
    expect(await backgroundOf(page, 'tr.release-row[data-release="2026.12-R1"] td .badge.warn')).toBe(
      'rgb(254, 243, 199)',
    );
    expect(await r1.locator('td').first().locator('.ways-out li').count()).toBeGreaterThan(0);
    const r2 = page.locator('tr.release-row[data-release="2027.01-R1"]');
    expect(await r2.locator('th .badge').first().innerText()).toBe('not-started');
    // A bundle cell: live (green) with the deployment that put it there.
    const session = page.locator('tr.bundle-row', { hasText: 'identity-session@2' });
    expect(await session.locator('td').first().innerText()).toMatch(/v2 live\s+olivia · /);
    expect(await backgroundOf(page, 'tr.bundle-row .badge.ok')).toBe('rgb(220, 252, 231)');
    expect(
      await page.locator('tr.bundle-row', { hasText: 'search-flags@1' }).locator('td').nth(3).innerText(),
    ).toBe('not deployed');
    // Readiness needs the release validated against every environment: it is filled in after the paint.
    const validated = (await dashboard.api.call('GET', '/releases/2026.12-R1', { as: 'olivia' })).json;
    const errors = validated.readiness.reasons.filter(
      (r: { severity?: string }) => (r.severity ?? 'error') === 'error',
    ).length;
    await expect
      .poll(() => r1.locator('th .badge').nth(1).innerText(), { timeout: 5000 })
      .toBe(validated.readiness.ready ? 'ready' : `not ready: ${errors} reason(s)`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'releases');
    expect(paint).toBeGreaterThan(0);
    // The first opening pays for a cold browser (its first document, scripts not yet compiled); a
    // coordinator coming back to the page does not.
    paints['releases, opened again'] = Math.round(await openView(dashboard, '#/releases', 'releases'));
  });

  it('shows an API error with its problem detail and what to do (an environment that does not exist)', async () => {
    const { page } = dashboard;
    await page.goto(`${dashboard.server.url}/#/flags/atlantis`);
    const problem = page.locator('.problem').first();
    await problem.waitFor();
    expect(await problem.innerText()).toMatch(
      /^Loading the flags of atlantis failed: .*\(404 not-found\)\n.*atlantis.*\nWhat to do: /s,
    );
  });
});

describe('dashboard: dependencies', () => {
  const highlightedIds = (selector = 'g.node.impact, g.node.impact-source') =>
    dashboard.page.$$eval(selector, (nodes) => nodes.map((n) => n.getAttribute('data-id') ?? '').sort());
  const countOf = async (): Promise<number> =>
    Number(/^(\d+) nodes highlighted/.exec(await dashboard.page.locator('.impact-count').innerText())?.[1]);

  it('draws the demo graph and overlays the impact of a bundle, of a release and of a focused service', async () => {
    const { page, api } = dashboard;
    const paint = await openView(dashboard, '#/dependencies', 'dependencies');
    paints.dependencies = Math.round(paint);
    const whole = (await api.call('GET', '/dependencies?format=json', { as: 'olivia' })).json;
    const view = page.locator('[data-view="dependencies"]');
    expect(await view.locator('.status .counts').innerText()).toBe(
      `${whole.nodes.length} of ${whole.nodes.length} nodes shown`,
    );
    expect(await view.locator('g.node').count()).toBe(whole.nodes.length);
    expect(await page.locator('.impact-count').innerText()).toBe(
      'No impact highlighted: choose a bundle, a release or a service.',
    );

    // One bundle: POST /impact's answer, highlighted (amber), the bundle itself red.
    await page.getByLabel('Impact of a bundle or release').selectOption('bundle:identity-session@2');
    await expect
      .poll(() => view.locator('.status .impact-summary').innerText(), { timeout: 5000 })
      .toMatch(/^Impact of identity-session@2: touches 3 teams/);
    const bundle = await highlightedIds();
    expect(bundle).toEqual(
      expect.arrayContaining([
        'bundle:identity-session@2',
        'key:identity.session.ttlSeconds',
        'key:payments.checkout.sessionTtlSeconds',
        'service:checkout-api',
        'team:payments',
        'team:search',
      ]),
    );
    expect(bundle).not.toContain('key:payments.fraud.enabled');
    expect(await page.locator('.impact-count').innerText()).toMatch(
      /^\d+ nodes highlighted: 3 team\(s\), 3 service\(s\), \d+ key\(s\)/,
    );
    expect(await countOf()).toBe(bundle.length);
    expect(
      await view
        .locator('g.node.impact rect')
        .first()
        .evaluate((r) => getComputedStyle(r).fill),
    ).toBe('rgb(255, 227, 163)');

    // A release: the union of its bundles' impacts, each of its bundles drawn as a source.
    const release = (await api.call('GET', '/releases/2026.12-R1?validate=false', { as: 'olivia' })).json;
    await page.getByLabel('Impact of a bundle or release').selectOption('release:2026.12-R1');
    await expect
      .poll(() => view.locator('.status .impact-summary').innerText(), { timeout: 5000 })
      .toMatch(/^Impact of release 2026\.12-R1: /);
    expect(await highlightedIds('g.node.impact-source')).toEqual(
      release.bundles.map((b: { name: string; version: string }) => `bundle:${b.name}@${b.version}`).sort(),
    );
    expect(await countOf()).toBe((await highlightedIds()).length);

    // Focus a service: what a new version of it must satisfy (bundles and flags requiring it).
    await page.getByLabel('Focus a service').selectOption('checkout-api');
    await expect
      .poll(() => view.locator('.status .impact-summary').innerText(), { timeout: 5000 })
      .toMatch(/^Impact of checkout-api: a new version must satisfy \d+ bundle\(s\) and \d+ flag\(s\)/);
    expect(await view.locator('[name="focus"]').inputValue()).toBe('service:checkout-api');
    const requirers = whole.edges
      .filter((e: { kind: string; to: string }) => e.kind === 'requires' && e.to === 'service:checkout-api')
      .map((e: { from: string }) => e.from);
    expect(requirers.length).toBeGreaterThan(1);
    const shown = await view
      .locator('g.node')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id')));
    const service = await highlightedIds();
    expect(service).toEqual(expect.arrayContaining(requirers.filter((r: string) => shown.includes(r))));
    expect(await highlightedIds('g.node.impact-source')).toEqual(['service:checkout-api']);
    expect(await page.locator('.impact-count').innerText()).toMatch(/^\d+ nodes highlighted: .*service\(s\)/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'dependencies');
    expect(paint).toBeGreaterThan(0);
  });

  it('embeds the graph view without regressing it at 2,000 nodes: drawn in part, focus still answers', async () => {
    const { page } = dashboard;
    const graph = synthetic(2_000);
    const answer = { ...graph, depth: 2, totals: { nodes: graph.nodes.length, edges: graph.edges.length } };
    const big = (url: URL) => url.pathname === '/dependencies';
    await page.route(big, (route) => route.fulfill({ json: answer }));
    try {
      const paint = await openView(dashboard, '#/dependencies', 'dependencies');
      paints['dependencies at 2,000 nodes'] = Math.round(paint);
      const view = page.locator('[data-view="dependencies"]');
      expect(await view.locator('.status .counts').innerText()).toMatch(/^\d+ of 2000 nodes shown$/);
      const drawn = await view.locator('g.node').count();
      expect(drawn).toBeGreaterThan(0);
      expect(drawn).toBeLessThanOrEqual(600);
      await view.locator('[name="focus"]').fill('team:team3');
      await view.locator('[name="focus"]').dispatchEvent('change');
      await expect
        .poll(() => view.locator('.status .where').innerText(), { timeout: 5000 })
        .toMatch(/focus team:team3, depth 2/);
      await page.getByLabel('Focus a service').selectOption('svc3');
      await expect
        .poll(() => view.locator('.status .impact-summary').innerText(), { timeout: 5000 })
        .toMatch(/^Impact of svc3: /);
    } finally {
      await page.unroute(big);
    }
  });
});

describe('dashboard: audit', () => {
  it('shows the verification of the trail and the newest events, filterable', async () => {
    const { page, api } = dashboard;
    const paint = await openView(dashboard, '#/audit', 'audit', 'vera');
    paints.audit = Math.round(paint);
    const verify = page.locator('.verify');
    await verify.waitFor();
    const verdict = (await api.call('GET', '/audit/verify', { as: 'vera' })).json;
    const checked = verdict.chains.reduce((sum: number, c: { checked: number }) => sum + c.checked, 0);
    expect(await verify.locator('p').first().innerText()).toBe(
      `verified ${verdict.chains.length} chains, ${checked} events checked; 0 findings. Verify again`,
    );
    expect(await backgroundOf(page, '.verify .badge')).toBe('rgb(220, 252, 231)');
    expect(await verify.locator('.checkpoint').innerText()).toBe(
      'Checkpoints are not configured in this deployment: the trail is verified without one.',
    );

    const all = (await api.call('GET', '/audit?limit=1000', { as: 'vera' })).json.events;
    const count = page.locator('p.count');
    expect(await count.innerText()).toBe(`${all.length} of ${all.length} events match.`);
    // Newest first: the demo's last step (a freeze window) comes before its first (chains opened).
    const types = await page.locator('table.audit tbody td:nth-child(3)').allInnerTexts();
    expect(types.at(-1)).toBe('ChainOpened');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'audit');

    // Filter by environment (the server's chain) and by type (on the page).
    await page.getByLabel('Environment').selectOption('prod-eu');
    const prodEu = (await api.call('GET', '/audit?env=prod-eu&limit=1000', { as: 'vera' })).json.events;
    await expect
      .poll(() => count.innerText(), { timeout: 5000 })
      .toBe(`${prodEu.length} of ${prodEu.length} events match.`);
    const kills = prodEu.filter((e: { type: string }) => e.type === 'FlagKillSwitchSet');
    const killType = kills.length > 0 ? 'FlagKillSwitchSet' : prodEu.at(-1).type;
    await page.getByLabel('Type').selectOption(killType);
    const matching = prodEu.filter((e: { type: string }) => e.type === killType).length;
    expect(await count.innerText()).toBe(`${matching} of ${prodEu.length} events match.`);
    expect(new Set(await page.locator('table.audit tbody td:nth-child(3)').allInnerTexts())).toEqual(
      new Set([killType]),
    );
    await page.getByLabel('Subject or detail contains').fill('no such text anywhere');
    expect(await count.innerText()).toBe(`0 of ${prodEu.length} events match.`);
    expect(paint).toBeGreaterThan(0);
  });
});

const ofrep = async (env: string, key: string) => {
  const answer = await dashboard.api.call('POST', `/environments/${env}/ofrep/v1/evaluate/flags/${key}`, {
    as: 'olivia',
    body: { context: { targetingKey: 'user-42', country: 'DE' } },
  });
  return answer.json;
};

describe('dashboard: flags', () => {
  it("shows each flag's state, split, requirements, evaluation counts and findings per environment", async () => {
    const { page } = dashboard;
    const paint = await openView(dashboard, '#/flags/dev', 'flags');
    paints.flags = Math.round(paint);
    const rows = page.locator('table.flags tbody tr');
    expect(await rows.count()).toBe(3);
    // The demo's flag rollout (ro-new-flow-dev) ramps payments.checkout.newFlow in dev: only that flag's
    // drift is held back there; the passkey prompt (killed in prod-eu) still drifts.
    expect(await page.locator('[data-view="flags"] .summary').innerText()).toMatch(
      /^3 flags · 0 stale · 0 inert · 0 orphaned · 1 drift/,
    );
    expect(await page.locator('tr[data-flag="identity.mfa.passkeyPrompt"] td').nth(4).innerText()).toBe(
      'drift: differs in prod-eu',
    );
    expect(await page.locator('tr[data-flag="payments.checkout.newFlow"] td').nth(1).innerText()).toBe(
      'on for beta-testers; on 10% / off 90%; default off',
    );
    const ranking = page.locator('tr[data-flag="search.ranking.engine"]');
    expect(await ranking.locator('td').nth(0).innerText()).toBe('enabled');
    expect(await backgroundOf(page, 'tr[data-flag="search.ranking.engine"] .badge')).toBe(
      'rgb(220, 252, 231)',
    );
    expect(await ranking.locator('td').nth(1).innerText()).toBe('classic 50% / neural 50%; default classic');
    expect(await ranking.locator('td').nth(2).innerText()).toBe('met');
    expect(await ranking.locator('td').nth(3).innerText()).toMatch(
      /^2,391\s+classic: 1,204 \(50\.4%\)\s+neural: 1,187 \(49\.6%\)$/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'flags');

    // prod-eu: the demo killed the passkey prompt there (red).
    await page.getByRole('link', { name: 'prod-eu' }).click();
    await page.locator('[data-view="flags"][data-ready] h2', { hasText: 'Flags in prod-eu' }).waitFor();
    expect(await page.locator('[data-view="flags"] .summary').innerText()).toMatch(
      /^2 flags · 0 stale · 0 inert · 1 orphaned · 1 drift/,
    );
    const passkey = page.locator('tr[data-flag="identity.mfa.passkeyPrompt"]');
    expect(await passkey.locator('td').first().innerText()).toBe('killed');
    expect(await backgroundOf(page, 'tr[data-flag="identity.mfa.passkeyPrompt"] .badge')).toBe(
      'rgb(254, 226, 226)',
    );
    expect(paint).toBeGreaterThan(0);
  });

  it('kills a flag as a release manager after a confirmation that names the environment; it is served off', async () => {
    const { page } = dashboard;
    expect(await ofrep('dev', 'search.ranking.engine')).toMatchObject({ reason: 'SPLIT' });
    await page.goto(`${dashboard.server.url}/#/flags/dev`);
    const ranking = page.locator('tr[data-flag="search.ranking.engine"]');
    await ranking.waitFor();
    await ranking.getByRole('button', { name: /^Kill/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Kill search.ranking.engine in dev?' });
    expect(await dialog.innerText()).toMatch(
      /serve its off variant at once\. Other environments are not touched\./,
    );
    await dialog.getByRole('button', { name: 'Kill in dev' }).click();
    expect(await dialog.locator('.problem').innerText()).toMatch(
      /Say why you kill search.ranking.engine in dev/,
    );
    await dialog.getByLabel('Reason (audited)').fill('neural ranking times out (SRCH-1001)');
    await dialog.getByRole('button', { name: 'Kill in dev' }).click();
    await expect
      .poll(() => page.locator('.done').innerText(), { timeout: 5000 })
      .toBe('search.ranking.engine killed in dev.');
    await expect.poll(() => ranking.locator('td').first().innerText(), { timeout: 5000 }).toBe('killed');
    // Served off over OFREP: the off variant, reason DISABLED.
    expect(await ofrep('dev', 'search.ranking.engine')).toMatchObject({
      value: 'classic',
      variant: 'classic',
      reason: 'DISABLED',
    });
  });

  it('shows the refusal of a principal who may not kill, with the problem detail and what to do', async () => {
    const { page } = dashboard;
    await page.getByLabel('Acting as').selectOption('vera');
    const ranking = page.locator('tr[data-flag="payments.checkout.newFlow"]');
    await ranking.getByRole('button', { name: /^Kill/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Kill payments.checkout.newFlow in dev?' });
    await dialog.getByLabel('Reason (audited)').fill('trying');
    await dialog.getByRole('button', { name: 'Kill in dev' }).click();
    const problem = dialog.locator('.problem');
    await problem.waitFor();
    expect(await problem.innerText()).toMatch(
      /^Killing the flag failed: .*\(403 forbidden\)\n.+\nWhat to do: Act as a principal with the right role/s,
    );
    expect((await ofrep('dev', 'payments.checkout.newFlow')).reason).not.toBe('DISABLED');
  });
});

const standard = parse(
  readFileSync(new URL('../../examples/rollouts/standard.yaml', import.meta.url), 'utf8'),
);

const alarms = (state: 'OK' | 'ALARM') => [
  { name: 'dev-5xx-rate', state },
  { name: 'dev-checkout-p99', state: 'OK' as const },
];

describe('dashboard: rollouts', () => {
  let id = '';
  // Started as a person would: `convoy rollout start` against the runtime serving the page.
  beforeAll(async () => {
    const run = await convoy(
      [
        'rollout',
        'start',
        'search-cache@1',
        '--strategy',
        'examples/rollouts/standard.yaml',
        '--id',
        'ro-search-cache',
        '--api',
        dashboard.server.url,
        '--as',
        'olivia',
        '--json',
      ],
      cliEnv(),
    );
    if (run.code !== 0) throw new Error(`convoy rollout start: ${run.code} ${run.stderr}`);
    id = run.json.id;
  });

  it('convoy rollout start answered the rollout it started', () => {
    expect(id).toBe('ro-search-cache');
  });

  it('lists rollouts and follows one live: the timeline advances, then rolls back when an alarm fires', async () => {
    const { page, api } = dashboard;
    const paint = await openView(dashboard, '#/rollouts', 'rollouts');
    paints.rollouts = Math.round(paint);
    const rows = page.locator('table.rollouts tbody tr');
    // The demo's own flag rollout (examples/demo.yaml `rollouts:`) is listed too.
    expect(await rows.count()).toBe(2);
    expect(await rows.filter({ hasText: 'ro-new-flow-dev' }).innerText()).toMatch(/checkout-flags@1/);
    const row = rows.filter({ hasText: 'ro-search-cache' });
    expect(await row.innerText()).toMatch(/ro-search-cache\s+search-cache@1\s+(pending|running)/);
    await page.getByRole('link', { name: 'ro-search-cache' }).click();
    const timeline = page.locator(`[data-rollout="${id}"]`);
    await timeline.waitFor();
    expect(await timeline.locator('.phases li').allInnerTexts()).toEqual([
      expect.stringMatching(/^dev pending dev/),
      expect.stringMatching(/^staging pending staging · approval gate/),
      expect.stringMatching(/^prod-canary pending prod-eu/),
      expect.stringMatching(/^prod pending prod-us/),
    ]);
    expect(await timeline.locator('.exposure').innerText()).toBe('Exposure: 0 of 4 environments');

    // The workflow deploys dev and checks its health: the page shows it within a poll (2 s).
    await advance(api, id, [
      ...deployed('dev', 'dev'),
      {
        type: 'HealthChecked',
        phase: 'dev',
        verdict: 'healthy',
        alarms: alarms('OK'),
        consecutiveUnknown: 0,
      },
    ]);
    await expect
      .poll(() => timeline.locator('[data-phase="dev"] .badge').innerText(), { timeout: 5000 })
      .toBe('baking');
    expect(await timeline.locator('.exposure').innerText()).toBe('Exposure: 1 of 4 environments (dev)');
    expect(await timeline.locator('.alarms li').allInnerTexts()).toEqual([
      'OK dev-5xx-rate',
      'OK dev-checkout-p99',
    ]);
    expect(await backgroundOf(page, '[data-alarm="dev-5xx-rate"] .badge')).toBe('rgb(220, 252, 231)');
    expect(await page.getByRole('button', { name: 'Pause' }).isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'rollouts');

    // An alarm fires: the workflow rolls dev back.
    await advance(api, id, [
      {
        type: 'HealthChecked',
        phase: 'dev',
        verdict: 'unhealthy',
        alarms: alarms('ALARM'),
        consecutiveUnknown: 0,
        reason: 'ALARM dev-5xx-rate',
        action: 'rollback',
      },
      { type: 'RollbackStarted', reason: 'ALARM dev-5xx-rate' },
      { type: 'PhaseRolledBack', phase: 'dev', environment: 'dev', deploymentId: 'dpl-dev-9' },
      { type: 'RolledBack' },
    ]);
    await expect
      .poll(() => timeline.locator('.summary .badge').innerText(), { timeout: 5000 })
      .toBe('rolled-back');
    expect(await backgroundOf(page, '.summary .badge')).toBe('rgb(254, 226, 226)');
    expect(await timeline.locator('[data-alarm="dev-5xx-rate"]').innerText()).toBe('ALARM dev-5xx-rate');
    expect(await timeline.locator('.rollback li').count()).toBe(3);
    expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(0);
    await expect.poll(() => row.innerText(), { timeout: 5000 }).toMatch(/rolled-back/);
    expect(paint).toBeGreaterThan(0);
  });

  it('lets a release manager act (the API answers) and tells a viewer they cannot', async () => {
    const { page, api } = dashboard;
    const started = await api.call('POST', '/rollouts', {
      as: 'olivia',
      body: { bundle: 'search-cache@1', strategy: standard, id: 'ro-second' },
    });
    expect(started.status).toBe(201);
    await page.goto(`${dashboard.server.url}/#/rollouts/ro-second`);
    const timeline = page.locator('[data-rollout="ro-second"]');
    await timeline.waitFor();
    // Abort needs a reason: the page says so without calling the API.
    await page.getByRole('button', { name: 'Abort' }).click();
    expect(await timeline.locator('.problem').innerText()).toMatch(/Give a reason to abort the rollout/);
    await page.getByLabel('Reason (required to abort or reject)').fill('wrong bundle');
    await page.getByRole('button', { name: 'Abort' }).click();
    await expect
      .poll(() => timeline.locator('[data-type="AbortRequested"]').count(), { timeout: 5000 })
      .toBe(1);

    // A viewer sees the state but not the buttons; the picker switches who the page acts as.
    await page.getByLabel('Acting as').selectOption('vera');
    expect(await timeline.locator('.permission').innerText()).toBe(
      'Only release managers can steer a rollout; you act as vera.',
    );
    expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(0);
  });
});
