import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backgroundOf,
  openView,
  screenshot,
  seriousViolations,
  startDashboard,
  type Dashboard,
} from './support/dashboard.ts';

let dashboard: Dashboard;
beforeAll(async () => {
  dashboard = await startDashboard('vera');
});
afterAll(async () => {
  await dashboard.close();
});

describe('dashboard: audit', () => {
  it('shows the verification of the trail and the newest events, filterable', async () => {
    const { page, api } = dashboard;
    const paint = await openView(dashboard, '#/audit', 'audit');
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
