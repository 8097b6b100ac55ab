import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '#api/client.ts';
import { graphPage } from '#cli/deps-graph-page.ts';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import { seedDemo } from '#local/seed.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

/**
 * `convoy deps graph --format html` on the demo data (`convoy up`'s seed), opened in headless
 * Chromium as a person would: what is drawn, where, and what the controls change.
 */
let api: TestApi;
let server: ApiServer | undefined;
let browser: Browser;
let page: Page;
let dir = '';
let file = '';

/** The demo seeded, then the page written by the CLI; Chromium starts meanwhile. */
const writePage = async (): Promise<void> => {
  api = await createTestApi();
  server = await startApiServer({ port: 0, deps: () => api.deps });
  await seedDemo(server.url, undefined, () => api.clock.now.getTime());
  dir = await mkdtemp(join(tmpdir(), 'convoy-deps-html-'));
  file = join(dir, 'deps.html');
  // What `convoy deps graph --format html --impact identity-session@2` writes (its command line is
  // tested in test/integration/cli/deps-cli.test.ts), in process: no second Node start.
  const client = createApiClient({ baseUrl: server.url, principal: 'olivia' });
  await writeFile(file, await graphPage(client, { impact: 'identity-session@2' }));
};

beforeAll(async () => {
  const launched = chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  await Promise.all([writePage(), launched]);
  browser = await launched;
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  // Offline: the page must need nothing but itself.
  await page.route('**/*', (route) =>
    route.request().url().startsWith('file:') ? route.continue() : route.abort(),
  );
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-ready="true"]');
});

afterAll(async () => {
  await browser.close();
  await server?.close();
  await api.table.drop();
  await rm(dir, { recursive: true, force: true });
});

const shownIds = (): Promise<string[]> =>
  page.$$eval('g.node', (nodes) => nodes.map((n) => n.getAttribute('data-id') ?? ''));

const setField = async (name: string, value: string): Promise<void> => {
  await page.fill(`[name="${name}"]`, value);
  await page.dispatchEvent(`[name="${name}"]`, 'change');
};

const toggle = async (name: string, value: string): Promise<void> => {
  await page.click(`input[name="${name}"][value="${value}"]`);
};

describe('the demo cross-team dependencies', () => {
  it('POST /impact of identity-session@2 reaches two other teams: payments and search', async () => {
    const res = await api.call('POST', '/impact', {
      body: { bundles: ['identity-session@2'] },
      as: 'olivia',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.plan.authors).toEqual(['identity']);
    expect(res.json.plan.signOff).toEqual(['payments', 'search']);
    expect(res.json.affected.map((a: { id: string }) => a.id)).toEqual(
      expect.arrayContaining([
        'key:payments.checkout.sessionTtlSeconds',
        'key:search.personalisation.sessionTtlSeconds',
      ]),
    );
    expect(res.json.services.map((s: { service: string }) => s.service)).toEqual([
      'checkout-api',
      'search-api',
      'session-api',
    ]);
    expect(res.json.summary).toMatch(/^touches 3 teams/);
  });
});

describe('the dependency graph page on the demo data', () => {
  it('draws the whole demo graph with no two node boxes overlapping, and the impact highlighted', async () => {
    const ids = await shownIds();
    expect(ids.length).toBeGreaterThan(50);
    expect(ids).toEqual(
      expect.arrayContaining(['team:payments', 'bundle:identity-session@2', 'service:search-api']),
    );
    const boxes = await page.$$eval('g.node rect', (rects) =>
      rects.map((r) => {
        const b = r.getBoundingClientRect();
        return { x: b.x, y: b.y, w: b.width, h: b.height };
      }),
    );
    const overlaps: string[] = [];
    boxes.forEach((a, i) => {
      boxes.slice(i + 1).forEach((b, j) => {
        if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
          overlaps.push(`${ids[i]} × ${ids[i + 1 + j]}`);
      });
    });
    expect(overlaps).toEqual([]);
    // Every name fits inside its box.
    const overflowing = await page.$$eval('g.node', (nodes) =>
      nodes
        .filter((n) => {
          const text = n.querySelector('text.name')!.getBoundingClientRect();
          return text.right > n.querySelector('rect')!.getBoundingClientRect().right;
        })
        .map((n) => n.getAttribute('data-id')),
    );
    expect(overflowing).toEqual([]);

    // The CLI asked POST /impact for identity-session@2 and embedded it: the bundle, the key it
    // changes, the keys and services reading it and the teams owning them are drawn highlighted.
    const highlighted = await page.$$eval('g.node.impact, g.node.impact-source', (nodes) =>
      nodes.map((n) => n.getAttribute('data-id')),
    );
    expect(highlighted).toEqual(
      expect.arrayContaining([
        'bundle:identity-session@2',
        'key:identity.session.ttlSeconds',
        'key:payments.checkout.sessionTtlSeconds',
        'service:checkout-api',
        'team:payments',
        'team:search',
      ]),
    );
    expect(highlighted).not.toContain('key:payments.fraud.enabled');
    const fill = await page.$eval('g.node.impact rect', (r) => getComputedStyle(r).fill);
    const plain = await page.$eval(
      'g.node:not(.impact):not(.impact-source) rect',
      (r) => getComputedStyle(r).fill,
    );
    expect(fill).not.toBe(plain);
    await expect(page.textContent('.status .impact-summary')).resolves.toMatch(
      /^Impact of identity-session@2: touches \d+ teams/,
    );
    await page.screenshot({ path: 'test/e2e/__screenshots__/deps-graph.png' });
  });

  it('focus and depth change which nodes are shown', async () => {
    const all = (await shownIds()).length;
    await page.click('g.node[data-id="key:identity.session.ttlSeconds"]');
    const depth2 = await shownIds();
    expect(depth2).toContain('key:identity.session.ttlSeconds');
    expect(depth2.length).toBeLessThan(all);
    await expect(page.inputValue('[name="focus"]')).resolves.toBe('key:identity.session.ttlSeconds');
    await setField('depth', '1');
    const depth1 = await shownIds();
    expect(depth1.length).toBeLessThan(depth2.length);
    expect(depth1).toEqual(expect.arrayContaining(['namespace:identity', 'bundle:identity-session@2']));
    expect(depth1).not.toContain('team:identity');
    await setField('depth', '0');
    expect(await shownIds()).toEqual(['key:identity.session.ttlSeconds']);
    await setField('focus', 'team:search');
    await setField('depth', '1');
    expect(await shownIds()).toEqual(
      expect.arrayContaining(['team:search', 'namespace:search', 'service:search-api']),
    );
    await page.click('button[name="whole-graph"]');
    expect((await shownIds()).length).toBe(all);
  });

  it('kind and team filters hide nodes', async () => {
    const before = await shownIds();
    await toggle('kind', 'key');
    const noKeys = await shownIds();
    expect(noKeys.some((id) => id.startsWith('key:'))).toBe(false);
    expect(noKeys.length).toBeLessThan(before.length);
    await toggle('kind', 'key');
    await toggle('team', 'search');
    const noSearch = await shownIds();
    expect(noSearch.filter((id) => id.includes('search'))).toEqual([]);
    expect(noSearch).toContain('team:payments');
    await toggle('team', 'search');
    expect((await shownIds()).length).toBe(before.length);
  });

  it('search marks and centres the nodes that match', async () => {
    await page.fill('[name="search"]', 'refreshAfter');
    const matches = await page.$$eval('g.node.match', (nodes) => nodes.map((n) => n.getAttribute('data-id')));
    expect(matches).toEqual(['key:identity.session.refreshAfterSeconds']);
    await expect(page.textContent('.status .matches')).resolves.toContain('1 match(es)');
    const centred = await page.$eval('g.node.match', (node) => {
      const box = node.getBoundingClientRect();
      const frame = document.querySelector('.canvas')!.getBoundingClientRect();
      return (
        box.left >= frame.left &&
        box.right <= frame.right &&
        box.top >= frame.top &&
        box.bottom <= frame.bottom
      );
    });
    expect(centred).toBe(true);
    await page.fill('[name="search"]', '');
  });

  it('highlights the impact of a node chosen in the page, computed from the embedded graph', async () => {
    await page.click('button[name="clear-impact"]');
    expect(await page.$$('g.node.impact')).toHaveLength(0);
    await setField('focus', 'bundle:checkout-timeouts@3');
    await setField('depth', '3');
    await page.click('button[name="impact-of-focus"]');
    const highlighted = await page.$$eval('g.node.impact', (nodes) =>
      nodes.map((n) => n.getAttribute('data-id')),
    );
    expect(highlighted).toEqual(
      expect.arrayContaining(['key:payments.checkout.timeoutMs', 'service:checkout-api']),
    );
    await expect(page.textContent('.status .impact-summary')).resolves.toMatch(
      /^Impact of checkout-timeouts@3: /,
    );
  });
});
