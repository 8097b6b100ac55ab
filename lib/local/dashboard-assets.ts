import type { ServerResponse } from 'node:http';
import { routes } from '#api/routes.ts';
import { buildDashboard, DASHBOARD_PREFIX, type DashboardFile } from '../dashboard/bundle.ts';
import { writeProblem } from './http-problem.ts';

export { DASHBOARD_PREFIX };

type Asset = Omit<DashboardFile, 'path'>;

/**
 * True when no API route can answer `/` or a path under /ui/: each route starts with a static
 * segment other than `ui` (a leading `{param}` would take any path).
 */
export const dashboardPathsFree = (table: readonly { path: string }[] = routes): boolean =>
  table.every((route) => {
    const first = route.path.split('/')[1] ?? '';
    return first !== '' && first !== DASHBOARD_PREFIX.slice(1, -1) && !first.startsWith('{');
  });

/** Bundle web/dashboard in memory (lib/dashboard/bundle.ts): no build step, no CDN, offline. */
const buildAssets = async (): Promise<Map<string, Asset>> =>
  new Map((await buildDashboard()).map(({ path, ...asset }) => [path, asset]));

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
