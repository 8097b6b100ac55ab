/** Convoy's OpenFeature server provider: `import { ConvoyProvider } from 'convoy/flags-provider'`. */
export { ConvoyProvider } from './convoy-provider.ts';
export type { ConvoyProviderOptions, ConvoyProviderSource } from './convoy-provider.ts';
export { fileFlagSetLoader, httpFlagSetLoader, parseFlagSet } from './flag-set-loader.ts';
export type { FlagSetLoader, HttpLoaderOptions } from './flag-set-loader.ts';
export { changedFlags } from './changed-flags.ts';
export { EvaluationTelemetry, httpMetricsSender } from './evaluation-telemetry.ts';
export type { MetricsSender } from './evaluation-telemetry.ts';
export { appConfigFlagSetLoader } from './appconfig-loader.ts';
export type { AppConfigLoaderOptions } from './appconfig-loader.ts';
