import { stringify as toYaml } from 'yaml';
import type { Snapshot } from '../bundles/snapshot.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { indexCatalog } from '../catalog/catalog-index.ts';
import type { JsonValue } from '../core/json.ts';
import { resolveMap } from '../dependencies/references.ts';
import type { Resolution } from '../dependencies/references.ts';

/** Catalog defaults overlaid with a snapshot's values, as authored (references unresolved). */
export const effectiveValues = (catalog: Catalog, snapshot: Snapshot): Map<string, JsonValue> => {
  // Copying the indexed defaults is far cheaper than walking the parameters again.
  const { defaults, flags } = indexCatalog(catalog);
  const values = new Map(defaults);
  const explicit = snapshot.values;
  // Flag definitions share the snapshot but are not configuration values (GET /flags serves them).
  for (const key of Object.keys(explicit)) if (!flags.has(key)) values.set(key, explicit[key] ?? null);
  return values;
};

/**
 * An environment's effective configuration: catalog defaults, overlaid with the snapshot's values,
 * then resolved. Keys that cannot resolve keep their authored value and come with problems.
 */
export const materialize = (catalog: Catalog, snapshot: Snapshot): Resolution => {
  const resolution = resolveMap(effectiveValues(catalog, snapshot));
  return { ...resolution, values: Object.fromEntries(resolution.values) };
};

export type ConfigFormat = 'json' | 'yaml' | 'dotenv';

/** `payments.checkout.timeoutMs` → `PAYMENTS_CHECKOUT_TIMEOUT_MS`: camelCase split, other separators to `_`. */
export const dotenvName = (key: string): string =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();

/**
 * Strings are double-quoted with JSON escapes, so quotes, backslashes and newlines survive;
 * numbers, booleans and null are bare; arrays and objects are their JSON text, quoted the same way.
 */
const dotenvValue = (value: JsonValue): string =>
  typeof value === 'string'
    ? JSON.stringify(value)
    : value === null || typeof value !== 'object'
      ? String(value)
      : JSON.stringify(JSON.stringify(value));

/** Whether `key` is under `prefix` on a dot boundary: `a.b` covers `a.b` and `a.b.c`, not `a.bc`. */
export const underPrefix = (key: string, prefix: string): boolean =>
  prefix === '' || key === prefix || key.startsWith(prefix.endsWith('.') ? prefix : `${prefix}.`);

const toDotenv = (entries: readonly [string, JsonValue][]): string => {
  const owners = new Map<string, string>();
  const lines: string[] = [];
  for (const [key, value] of entries) {
    const name = dotenvName(key);
    const other = owners.get(name);
    // Two keys can map to one variable name; say so rather than let one silently win.
    if (other !== undefined)
      lines.push(`# warning: ${other} and ${key} both map to ${name}; the last one wins`);
    owners.set(name, key);
    lines.push(`${name}=${dotenvValue(value)}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
};

/**
 * Render a flat configuration, keys sorted: `json` as a pretty `{ key: value }` object, `yaml` as a
 * flat map, `dotenv` as NAME=value lines. `prefix` keeps only keys under it (dot-boundary aware).
 */
export const formatConfig = (
  values: Readonly<Record<string, JsonValue>>,
  format: ConfigFormat,
  prefix = '',
): string => {
  const entries = Object.entries(values)
    .filter(([key]) => underPrefix(key, prefix))
    // Keys are unique, so two never compare equal.
    .sort(([a], [b]) => (a < b ? -1 : 1));
  if (format === 'dotenv') return toDotenv(entries);
  const flat = Object.fromEntries(entries);
  return format === 'json' ? `${JSON.stringify(flat, null, 2)}\n` : toYaml(flat);
};
