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
  dashboard = await startDashboard();
});
afterAll(async () => {
  await dashboard.close();
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
    expect(await r2.locator('th .badge').innerText()).toBe('not-started');
    // A bundle cell: live (green) with the deployment that put it there.
    const session = page.locator('tr.bundle-row', { hasText: 'identity-session@2' });
    expect(await session.locator('td').first().innerText()).toMatch(/v2 live\s+olivia · /);
    expect(await backgroundOf(page, 'tr.bundle-row .badge.ok')).toBe('rgb(220, 252, 231)');
    expect(
      await page.locator('tr.bundle-row', { hasText: 'search-flags@1' }).locator('td').nth(3).innerText(),
    ).toBe('not deployed');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'releases');
    expect(paint).toBeGreaterThan(0);
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
