import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BenchCase } from '../bench-case.ts';
import { depsHtml } from '#cli/deps-html.ts';
import { GraphBuilder } from '#domain/dependencies/graph-builder.ts';
import { toSubgraph, type Subgraph } from '#domain/dependencies/graph-model.ts';

/**
 * `convoy deps graph --format html` in headless Chromium: the page of a synthetic catalog of
 * `size` nodes (teams, namespaces, services reading keys, keys referencing keys, bundles, five
 * environments), focused on a team at depth 2; and a 20,000-node page opened without a focus.
 */
const synthetic = (size: number): Subgraph => {
  const g = new GraphBuilder();
  const teams = Math.max(3, Math.round(size / 100));
  const services = Math.round(size / 20);
  const bundles = Math.round(size / 40);
  const envs = ['dev', 'staging', 'prod-eu', 'prod-us', 'prod-ap'].map((e) => g.node('environment', e));
  for (let t = 0; t < teams; t += 1)
    g.edge(g.node('team', `team${t}`), 'owns', g.node('namespace', `ns${t}`, `team${t}`));
  const keys = size - 2 * teams - services - bundles - envs.length;
  const key = (i: number): string => `key:ns${i % teams}.group${i % 7}.k${i}`;
  for (let i = 0; i < keys; i += 1) {
    g.edge(`namespace:ns${i % teams}`, 'contains', g.node('key', key(i).slice(4), `team${i % teams}`));
    if (i % 4 === 3) g.edge(key(i), 'references', key((i * 7919) % i), { environments: ['prod-eu'] });
  }
  for (let s = 0; s < services; s += 1) {
    const service = g.node('service', `svc${s}`, `team${s % teams}`);
    g.edge(`team:team${s % teams}`, 'owns', service);
    for (let c = 0; c < 6; c += 1) g.edge(service, 'consumes', key((s * 31 + c * 97) % keys));
    g.edge(envs[s % envs.length] as string, 'runs', service, { version: '1.0.0' });
  }
  for (let b = 0; b < bundles; b += 1) {
    const bundle = g.node('bundle', `b${b}@1`, `team${b % teams}`);
    for (let c = 0; c < 3; c += 1) g.edge(bundle, 'changes', key((b * 53 + c * 11) % keys));
    g.edge(bundle, 'requires', `service:svc${b % services}`, { range: '>=1.0.0' });
  }
  return toSubgraph(g.build());
};

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
