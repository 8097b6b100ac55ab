import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions, BuildResult } from 'esbuild';

/**
 * The dashboard's build (web/dashboard, Preact + signals, bundled by esbuild), shared by the embedded
 * runtime (in memory, at the first request) and the AWS deployment (at synth time, into the S3 bucket).
 */

/** Where the dashboard's assets live: `/` is the page, everything else under this prefix. */
export const DASHBOARD_PREFIX = '/ui/';

/** The runtime configuration the AWS deployment writes next to index.html (see web/dashboard/auth.ts). */
export const DASHBOARD_CONFIG_PATH = '/config.json';

export const dashboardSourceDir = fileURLToPath(new URL('../../web/dashboard/', import.meta.url));

export interface DashboardFile {
  /** The URL path: `/` for the page, `/ui/app.js` (and its chunks), `/ui/app.css`. */
  path: string;
  type: string;
  body: string;
}

export interface DashboardPageOptions {
  /**
   * A runtime configuration to load before rendering (the AWS deployment's `/config.json`: sign-in
   * through Cognito, the API under a prefix). Without it the page uses the embedded runtime's picker.
   */
  configPath?: string;
}

const page = (options: DashboardPageOptions): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.configPath ? `<meta name="convoy-config" content="${options.configPath}">\n` : ''}<title>Convoy dashboard</title>
<link rel="stylesheet" href="${DASHBOARD_PREFIX}app.css">
</head>
<body>
<div id="app"></div>
<script type="module" src="${DASHBOARD_PREFIX}app.js"></script>
</body>
</html>
`;

/**
 * esbuild's options for the page's script: ESM for the browser, no CDN, works offline. Split: views
 * loaded on demand (the dependency graph and its layout library) are chunks of their own, served
 * beside app.js, so that the other views do not parse them.
 */
const buildOptions = {
  entryPoints: { app: `${dashboardSourceDir}main.tsx` },
  bundle: true,
  write: false,
  splitting: true,
  outdir: `${dashboardSourceDir}.out`,
  chunkNames: 'chunk-[hash]',
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  legalComments: 'none',
  logLevel: 'silent',
} satisfies BuildOptions;

const files = (result: BuildResult<typeof buildOptions>, css: string, options: DashboardPageOptions) => [
  { path: '/', type: 'text/html; charset=utf-8', body: page(options) },
  ...result.outputFiles.map((file) => ({
    path: `${DASHBOARD_PREFIX}${basename(file.path)}`,
    type: 'text/javascript; charset=utf-8',
    body: file.text,
  })),
  { path: `${DASHBOARD_PREFIX}app.css`, type: 'text/css; charset=utf-8', body: css },
];

/** Build the dashboard in memory (the embedded runtime: esbuild is loaded only when asked for). */
export const buildDashboard = async (options: DashboardPageOptions = {}): Promise<DashboardFile[]> => {
  const { build } = await import('esbuild');
  const result = await build(buildOptions);
  return files(result, await readFile(`${dashboardSourceDir}app.css`, 'utf8'), options);
};

/**
 * Build the dashboard synchronously (CDK asset bundling is synchronous); esbuild is loaded here too only
 * when called, so a synth that skips bundling never loads it.
 */
export const buildDashboardSync = (options: DashboardPageOptions = {}): DashboardFile[] => {
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  return files(buildSync(buildOptions), readFileSync(`${dashboardSourceDir}app.css`, 'utf8'), options);
};
