import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routes } from '#api/routes.ts';
import { writeProblem } from './http-problem.ts';

/** Where the dashboard's assets live: `GET /` is the page, everything else under this prefix. */
export const DASHBOARD_PREFIX = '/ui/';

const sourceDir = fileURLToPath(new URL('../../web/dashboard/', import.meta.url));

interface Asset {
  type: string;
  body: string;
}

/**
 * True when no API route can answer `/` or a path under /ui/: each route starts with a static
 * segment other than `ui` (a leading `{param}` would take any path).
 */
export const dashboardPathsFree = (table: readonly { path: string }[] = routes): boolean =>
  table.every((route) => {
    const first = route.path.split('/')[1] ?? '';
    return first !== '' && first !== DASHBOARD_PREFIX.slice(1, -1) && !first.startsWith('{');
  });

const page = (): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Convoy dashboard</title>
<link rel="stylesheet" href="${DASHBOARD_PREFIX}app.css">
</head>
<body>
<div id="app"></div>
<script type="module" src="${DASHBOARD_PREFIX}app.js"></script>
</body>
</html>
`;

/**
 * Bundle web/dashboard (Preact + signals) in memory with esbuild: no build step, no CDN, offline.
 * Split: views loaded on demand (the dependency graph and its layout library) are chunks of their
 * own, served beside app.js, so that the other views do not parse them.
 */
const buildAssets = async (): Promise<Map<string, Asset>> => {
  // esbuild is loaded only when the page is first asked for: API-only uses never pay for it.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: { app: `${sourceDir}main.tsx` },
    bundle: true,
    write: false,
    splitting: true,
    outdir: `${sourceDir}.out`,
    chunkNames: 'chunk-[hash]',
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const css = await readFile(`${sourceDir}app.css`, 'utf8');
  const scripts = result.outputFiles.map(
    (file) =>
      [
        `${DASHBOARD_PREFIX}${basename(file.path)}`,
        { type: 'text/javascript; charset=utf-8', body: file.text },
      ] as const,
  );
  return new Map<string, Asset>([
    ['/', { type: 'text/html; charset=utf-8', body: page() }],
    ...scripts,
    [`${DASHBOARD_PREFIX}app.css`, { type: 'text/css; charset=utf-8', body: css }],
  ]);
};

let assets: Promise<Map<string, Asset>> | undefined;

/** The bundled assets, built once per process (a failed build is retried on the next request). */
export const dashboardAssets = (): Promise<Map<string, Asset>> => {
  assets ??= buildAssets().catch((error: unknown) => {
    assets = undefined;
    throw error;
  });
  return assets;
};

/** Is this request the dashboard's (GET or HEAD of `/` or of a path under /ui/)? */
export const isDashboardRequest = (method: string, path: string): boolean =>
  (method === 'GET' || method === 'HEAD') && (path === '/' || path.startsWith(DASHBOARD_PREFIX));

/** Answer a dashboard request: the page, a bundled asset, or a 404 problem. */
export const serveDashboard = async (res: ServerResponse, method: string, path: string): Promise<void> => {
  let built: Map<string, Asset>;
  try {
    built = await dashboardAssets();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    writeProblem(res, 'internal', `The dashboard failed to build: ${why}`, { instance: path });
    return;
  }
  const asset = built.get(path);
  if (!asset) {
    writeProblem(res, 'not-found', `No dashboard asset ${path}.`, { instance: path });
    return;
  }
  res.writeHead(200, {
    'content-type': asset.type,
    'content-length': Buffer.byteLength(asset.body),
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(method === 'HEAD' ? undefined : asset.body);
};
