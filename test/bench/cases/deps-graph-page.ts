import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BenchCase } from '../bench-case.ts';
import { depsHtml } from '#cli/deps-html.ts';
import { synthetic } from '../../fixtures/dependencies/synthetic.ts';

/**
 * `convoy deps graph --format html` in headless Chromium: the page of a synthetic catalog of
 * 2,000 nodes (test/fixtures/dependencies/synthetic.ts) focused on a team at depth 2; and a
 * 20,000-node page opened without a focus.
 */
interface Opened {
  firstRenderMs: number;
  openMs: number;
  nodes: number;
  status: string;
}

const openPages = async (html: string, times: number): Promise<Opened[]> => {
  const dir = await mkdtemp(join(tmpdir(), 'convoy-bench-deps-'));
  const file = join(dir, 'deps.html');
  await writeFile(file, html);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const opened: Opened[] = [];
    for (let i = 0; i < times; i += 1) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const start = performance.now();
      await page.goto(`file://${file}`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
      const openMs = performance.now() - start;
      const firstRenderMs = await page.evaluate(
        () => (window as unknown as { convoyGraph: { firstRenderMs: number } }).convoyGraph.firstRenderMs,
      );
      const nodes = (await page.$$('g.node')).length;
      const status = (await page.textContent('.status')) ?? '';
      opened.push({ firstRenderMs, openMs, nodes, status });
      await page.close();
    }
    return opened;
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
};

export const cases: BenchCase[] = [
  {
    name: 'deps graph page, 2,000 nodes, focus at depth 2 (Chromium)',
    target: 'first render median <= 1000 ms',
    targetMedianMs: 1000,
    run: async () => {
      const graph = synthetic(2_000);
      const html = await depsHtml({ title: 'bench', graph, focus: 'team:team3', depth: 2 });
      const opened = await openPages(html, 5);
      return {
        samples: opened.map((o) => o.firstRenderMs),
        notes: {
          graphNodes: graph.nodes.length,
          graphEdges: graph.edges.length,
          shownNodes: opened[0]?.nodes ?? 0,
          openMsMedian: Math.round([...opened.map((o) => o.openMs)].sort((a, b) => a - b)[2] ?? 0),
          pageKiB: Math.round(html.length / 1024),
        },
      };
    },
  },
  {
    name: 'deps graph page, 20,000 nodes, no focus (Chromium)',
    target: 'report: it opens',
    run: async () => {
      const graph = synthetic(20_000);
      const html = await depsHtml({ title: 'bench', graph, depth: 2 });
      const opened = await openPages(html, 2);
      const notice = /Too many nodes.*?depth \d+/.exec(opened[0]?.status ?? '')?.[0] ?? 'none';
      return {
        samples: opened.map((o) => o.openMs),
        notes: {
          graphNodes: graph.nodes.length,
          graphEdges: graph.edges.length,
          shownNodes: opened[0]?.nodes ?? 0,
          firstRenderMs: Math.round(opened[0]?.firstRenderMs ?? 0),
          pageKiB: Math.round(html.length / 1024),
          notice,
        },
        met: opened.every((o) => o.nodes > 0),
      };
    },
  },
];
