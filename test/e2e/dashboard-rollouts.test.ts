import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { advance, deployed } from '../integration/rollout-api/support.ts';
import {
  backgroundOf,
  openView,
  screenshot,
  seriousViolations,
  startDashboard,
  type Dashboard,
} from './support/dashboard.ts';

const standard = parse(
  readFileSync(new URL('../../examples/rollouts/standard.yaml', import.meta.url), 'utf8'),
);

let dashboard: Dashboard;
let id = '';
beforeAll(async () => {
  dashboard = await startDashboard();
  const started = await dashboard.api.call('POST', '/rollouts', {
    as: 'olivia',
    body: { bundle: 'search-cache@1', strategy: standard, id: 'ro-search-cache' },
  });
  if (started.status !== 201) throw new Error(`start: ${started.text}`);
  id = started.json.id;
});
afterAll(async () => {
  await dashboard.close();
});

const alarms = (state: 'OK' | 'ALARM') => [
  { name: 'dev-5xx-rate', state },
  { name: 'dev-checkout-p99', state: 'OK' as const },
];

describe('dashboard: rollouts', () => {
  it('lists rollouts and follows one live: the timeline advances, then rolls back when an alarm fires', async () => {
    const { page, api } = dashboard;
    const paint = await openView(dashboard, '#/rollouts', 'rollouts');
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
