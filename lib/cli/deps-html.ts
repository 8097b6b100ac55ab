import { fileURLToPath } from 'node:url';
import type { Subgraph } from '#domain/dependencies/graph-model.ts';
import type { Impact } from '#domain/dependencies/impact-model.ts';
import { CliError, exitCodes } from './exit-codes.ts';

/** The browser sources of the view (web/deps-graph), bundled when a page is written. */
const entry = fileURLToPath(new URL('../../web/deps-graph/page.ts', import.meta.url));

export interface DepsPage {
  title: string;
  graph: Subgraph;
  focus?: string;
  depth?: number;
  kinds?: string[];
  /** `POST /impact`'s answer, and what it was asked about. */
  impact?: Impact & { of: string };
}

let bundled: Promise<string> | undefined;

/** web/deps-graph/page.ts and what it imports (dagre, the domain's graph walks) as one script, in memory. */
export const bundleGraphScript = (): Promise<string> =>
  (bundled ??= (async () => {
    const { build } = await import('esbuild').catch(() => {
      throw new CliError('--format html needs esbuild, which is not installed here.', exitCodes.usage, {
        hint: 'Install the development dependencies (npm ci), or use --format dot, mermaid or json.',
      });
    });
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
    });
    return result.outputFiles[0]?.text ?? '';
  })());

/**
 * JSON safe inside a `<script>` element: `<` never appears as such (JSON reads `\u003c` as `<`),
 * so no value can write `</script>` or `<!--`. The bundled script is checked for both instead.
 */
export const scriptSafe = (json: string): string => json.replace(/</g, '\\u003c');

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** One self-contained page (no network): the graph as JSON, the bundled view, inline styles. */
export const depsHtml = async (page: DepsPage): Promise<string> => {
  const script = await bundleGraphScript();
  if (/<\/script|<!--/i.test(script)) throw new Error('The bundled graph view holds </script> or <!--.');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<title>${escapeHtml(page.title)}</title>
<style>html, body { margin: 0; height: 100%; } #convoy-graph { height: 100vh; }</style>
</head>
<body>
<div id="convoy-graph"></div>
<script type="application/json" id="convoy-graph-data">${scriptSafe(JSON.stringify(page))}</script>
<script>${script}</script>
</body>
</html>
`;
};
