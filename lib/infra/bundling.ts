import path from 'node:path';
import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/** The repository root: handler entries, package-lock.json and tsconfig.json are resolved from here. */
export const projectRoot = path.resolve(import.meta.dirname, '..', '..');

/** Absolute path of a handler entry given relative to the project root (e.g. `functions/api/health.ts`). */
/** The lock file NodejsFunction hashes and installs from. */
export const lockFile = path.join(projectRoot, 'package-lock.json');

export const entryPath = (entry: string): string => path.resolve(projectRoot, entry);

/**
 * ESM bundles need `require` for the CommonJS dependencies esbuild inlines (they may `require` Node
 * built-ins); this banner provides it without changing the handler code.
 */
export const esmRequireBanner =
  "import { createRequire as __convoyCreateRequire } from 'node:module';" +
  ' const require = __convoyCreateRequire(import.meta.url);';

/**
 * esbuild settings shared by every Convoy function: ESM for Node 24, minified, with source maps.
 * The AWS SDK v3 stays external (the Node 24 runtime ships it), everything else is bundled.
 */
export const convoyBundling: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  banner: esmRequireBanner,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  logLevel: LogLevel.WARNING,
};
