import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PRINCIPAL_HEADER } from '#api/client.ts';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import { seedDemo } from '#local/seed.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';

export const screenshotDir = new URL('../__screenshots__/', import.meta.url);

export interface Dashboard {
  api: TestApi;
  server: ApiServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/**
 * The embedded API on an ephemeral port with the demo seeded (at the test API's clock), serving the
 * dashboard, and one headless Chromium page at 1440×900 acting as `principal`.
 */
export const startDashboard = async (principal = 'olivia'): Promise<Dashboard> => {
  const api = await createTestApi();
  const server = await startApiServer({ port: 0, deps: () => api.deps });
  const [browser] = await Promise.all([
    chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    }),
    (async () => {
      await seedDemo(server.url, undefined, () => api.clock.now.getTime());
      // Warm the bundle and the handler modules the seed did not load, as `convoy up` does at start.
      await Promise.all(
        ['/ui/app.js', '/releases', '/rollouts', '/audit?limit=1', '/dependencies?depth=0'].map((path) =>
          fetch(`${server.url}${path}`, { headers: { [PRINCIPAL_HEADER]: 'olivia' } }).then((r) => r.text()),
        ),
      );
    })(),
  ]);
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    timezoneId: 'UTC',
    locale: 'en-GB',
  });
  await context.addInitScript((who: string) => {
    localStorage.setItem('convoy.principal', who);
  }, principal);
  const page = await context.newPage();
  return {
    api,
    server,
    browser,
    page,
    close: async () => {
      await browser.close();
      await server.close();
      await api.table.drop();
    },
  };
};

let opened = 0;

/**
 * Load the page at `hash` (acting as `as`, else as the dashboard's principal) and wait for the view's
 * data on screen; answers its first meaningful paint (ms from navigation start to the
 * `convoy:ready:<mark>` performance mark).
 */
export const openView = async (
  dashboard: Dashboard,
  hash: string,
  mark: string,
  as?: string,
): Promise<number> => {
  const { page, server } = dashboard;
  // A query names the view, so that each opening is a new document (a new navigation start and
  // marks), never a same-document hash change.
  opened += 1;
  const query = new URLSearchParams({ view: `${mark}-${opened}`, ...(as === undefined ? {} : { as }) });
  await page.goto(`${server.url}/?${query.toString()}${hash}`);
  await page.waitForFunction((name) => performance.getEntriesByName(`convoy:ready:${name}`).length > 0, mark);
  const paint = await page.evaluate(
    (name) => performance.getEntriesByName(`convoy:ready:${name}`)[0]?.startTime ?? -1,
    mark,
  );
  console.log(`dashboard ${mark}: first meaningful paint ${Math.round(paint)} ms`);
  return paint;
};

/** axe-core's serious and critical violations (WCAG 2.1 A and AA rules), as `id: help (nodes)` lines. */
export const seriousViolations = async (page: Page): Promise<string[]> => {
  const started = performance.now();
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  console.log(`axe: ${results.passes.length} rules passed in ${Math.round(performance.now() - started)} ms`);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id}: ${v.help} (${v.nodes.length} nodes: ${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
};

export const screenshot = async (page: Page, view: string): Promise<void> => {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: new URL(`dashboard-${view}.png`, screenshotDir).pathname, fullPage: false });
};

/** The computed background colour of the first element matching `selector`. */
export const backgroundOf = (page: Page, selector: string): Promise<string> =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => getComputedStyle(el).backgroundColor);
