import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatImpact, formatPath } from '#cli/impact-format.ts';
import { forwardPath, fullImpact, quietImpact } from '../../unit/cli/impact-fixtures.ts';
import { binRunner } from './run-bin.ts';

/**
 * `convoy impact`, `convoy deps graph` and `convoy deps why` as a user runs them: the real
 * `node bin/convoy-cli.ts`, against a tiny HTTP server answering the dependency routes with fixtures
 * and recording what the CLI asked.
 */
interface Seen {
  method: string;
  url: string;
  body: unknown;
}

let api: Server;
let apiUrl = '';
let dir = '';
let seen: Seen[] = [];

const DOT = 'digraph dependencies {\n  "team:payments";\n}\n';
/** A name no real graph holds, to show the page never lets data end its script element. */
const HOSTILE = 'x</script><script>document.title="owned"</script><!--';
const GRAPH_NODES = [
  { id: 'team:payments', kind: 'team', name: 'payments' },
  { id: `team:${HOSTILE}`, kind: 'team', name: HOSTILE },
];

const answer = (method: string, url: URL, body: unknown): { status: number; type: string; text: string } => {
  const json = (status: number, value: unknown) => ({
    status,
    type: 'application/json',
    text: JSON.stringify(value),
  });
  if (method === 'POST' && url.pathname === '/impact') {
    const bundles = (body as { bundles?: string[] }).bundles;
    return json(200, bundles?.[0] === 'search-cache@2' ? quietImpact : fullImpact);
  }
  if (method === 'GET' && url.pathname === '/dependencies') {
    const format = url.searchParams.get('format');
    if (format === 'json')
      return json(200, { depth: 2, totals: { nodes: 1, edges: 0 }, nodes: GRAPH_NODES, edges: [] });
    return { status: 200, type: 'text/vnd.graphviz; charset=utf-8', text: DOT };
  }
  if (method === 'GET' && url.pathname === '/dependencies/path') {
    if (url.searchParams.get('to') === 'team:nobody')
      return {
        status: 404,
        type: 'application/problem+json',
        text: JSON.stringify({
          code: 'not-found',
          status: 404,
          detail: 'No node team:nobody in the dependency graph.',
        }),
      };
    return json(200, forwardPath);
  }
  return json(404, { code: 'not-found', detail: 'no such route' });
};

const convoy = binRunner(() => ({ CONVOY_API_URL: apiUrl }));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convoy-deps-cli-'));
  api = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      const body: unknown = text === '' ? undefined : JSON.parse(text);
      const url = new URL(request.url ?? '/', 'http://localhost');
      seen.push({ method: request.method ?? '', url: request.url ?? '', body });
      const { status, type, text: out } = answer(request.method ?? '', url, body);
      response.writeHead(status, { 'content-type': type });
      response.end(out);
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});

beforeEach(() => {
  seen = [];
});

afterAll(async () => {
  await new Promise<void>((resolve) =>
    api.close(() => {
      resolve();
    }),
  );
  await rm(dir, { recursive: true, force: true });
});

describe('convoy impact', () => {
  it('sends a name@version as bundles and exits 1 when sign-offs are owed or the plan has a cycle', async () => {
    const run = await convoy('impact', 'checkout-timeouts@3', '--env', 'prod-eu');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(formatImpact(fullImpact));
    expect(seen).toEqual([
      { method: 'POST', url: '/impact', body: { bundles: ['checkout-timeouts@3'], environment: 'prod-eu' } },
    ]);
  });

  it('exits 0 when nothing needs coordinating, and prints the API JSON with --json', async () => {
    const run = await convoy('impact', 'search-cache@2', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(quietImpact);
  });

  it('sends a bundle file as the keys it changes, with its team', async () => {
    const run = await convoy('impact', 'examples/bundles/checkout-timeouts.yaml');
    expect(run.code).toBe(1);
    expect(seen[0]?.body).toEqual({
      keys: [
        'payments.checkout.timeoutMs',
        'payments.checkout.maxRetries',
        'payments.checkout.retryBudgetMs',
        'payments.checkout.legacyMode',
      ],
      team: 'payments',
    });
  });

  it('refuses a file that is not a bundle with exit 2, asking nothing', async () => {
    const file = join(dir, 'not-a-bundle.yaml');
    await writeFile(file, 'name: x\n');
    const run = await convoy('impact', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a valid bundle');
    expect(seen).toEqual([]);
  });
});

describe('convoy deps', () => {
  it('graph: asks for DOT by default with the focus, depth and kinds, and prints it', async () => {
    const run = await convoy(
      'deps',
      'graph',
      '--focus',
      'team:payments',
      '--depth',
      '1',
      '--kinds',
      'team,key',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(DOT);
    expect(seen[0]?.url).toBe('/dependencies?format=dot&focus=team%3Apayments&depth=1&kinds=team%2Ckey');
  });

  it('graph: writes JSON to --out', async () => {
    const out = join(dir, 'graph.json');
    const run = await convoy('deps', 'graph', '--format', 'json', '--out', out);
    expect(run.code).toBe(0);
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ depth: 2, totals: { nodes: 1 } });
  });

  it('graph: html writes one offline page embedding the whole graph and the impact it was asked for', async () => {
    const out = join(dir, 'graph.html');
    const run = await convoy(
      'deps',
      'graph',
      '--format',
      'html',
      '--focus',
      'team:payments',
      '--impact',
      'checkout-timeouts@3',
      '--out',
      out,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /dependencies?format=json',
      'POST /impact',
    ]);
    expect(seen[1]?.body).toEqual({ bundles: ['checkout-timeouts@3'] });
    const html = await readFile(out, 'utf8');
    // Two script elements (the data, the view), nothing fetched from anywhere.
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    // No element loads anything, and the script has no way to reach the network (URL literals in
    // bundled validators, such as zod's IPv6 check, are text, not requests).
    expect(html.match(/\ssrc=|\shref=|<link|<iframe/g)).toBeNull();
    expect(html.match(/\bfetch\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|\bimport\(/g)).toBeNull();
    const data = /<script type="application\/json" id="convoy-graph-data">(.*?)<\/script>/s.exec(html)?.[1];
    const page = JSON.parse(data ?? '');
    expect(page).toMatchObject({ focus: 'team:payments', depth: 2, impact: { of: 'checkout-timeouts@3' } });
    expect(page.graph.nodes).toEqual(GRAPH_NODES);
  });

  it('graph: html refuses an unknown focus (exit 1), an unknown kind and --impact without html (exit 2)', async () => {
    const unknown = await convoy('deps', 'graph', '--format', 'html', '--focus', 'team:nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No node team:nobody');
    const misplaced = await convoy('deps', 'graph', '--impact', 'checkout-timeouts@3');
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toContain('--impact goes with --format html');
    const badKind = await convoy('deps', 'graph', '--format', 'html', '--kinds', 'team,teams');
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toContain('unknown kind teams');
  });

  it('graph: pdf is not a format', async () => {
    seen = [];
    const run = await convoy('deps', 'graph', '--format', 'pdf');
    expect(run.code).toBe(2);
    expect(seen).toEqual([]);
  });

  it('why: one line per hop; an unknown node exits 1', async () => {
    const run = await convoy('deps', 'why', 'team:payments', 'key:payments.checkout.timeoutMs');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(formatPath(forwardPath));
    expect(seen[0]?.url).toBe('/dependencies/path?from=team%3Apayments&to=key%3Apayments.checkout.timeoutMs');
    const missing = await convoy('deps', 'why', 'team:payments', 'team:nobody');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No node team:nobody');
  });
});
