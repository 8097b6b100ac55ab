import { namespaceOf } from '../core/names.ts';
import type { JsonValue } from '../core/json.ts';
import type { Catalog, CatalogFlag, ParameterSchema, Service } from './catalog.ts';

/** O(1) lookups over a catalog. Where names repeat (validateCatalog reports that), the first wins. */
export interface CatalogIndex {
  catalog: Catalog;
  parameters: ReadonlyMap<string, ParameterSchema>;
  /** Flag key → its catalog entry; snapshots hold flag definitions under these keys. */
  flags: ReadonlyMap<string, CatalogFlag>;
  /** Parameter key → its default as authored, for parameters that have one. */
  defaults: ReadonlyMap<string, JsonValue>;
  /** Namespace name → owning team. */
  namespaces: ReadonlyMap<string, string>;
  /** Namespace name → its parameter and flag keys, in catalog order (for suggestions). */
  keysByNamespace: ReadonlyMap<string, readonly string[]>;
  services: ReadonlyMap<string, Service>;
  teams: ReadonlySet<string>;
  /** Environment name → position on the promotion path (0 first). */
  environments: ReadonlyMap<string, number>;
}

const firstBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, T> => {
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(key(item))) map.set(key(item), item);
  return map;
};

// Catalogs are immutable once parsed, so an index is built once per catalog object.
const cache = new WeakMap<Catalog, CatalogIndex>();

export const indexCatalog = (catalog: Catalog): CatalogIndex => {
  const cached = cache.get(catalog);
  if (cached) return cached;
  const parameters = firstBy(catalog.parameters, (p) => p.key);
  const keysByNamespace = new Map<string, string[]>();
  const flags = firstBy(catalog.flags ?? [], (f) => f.key);
  for (const key of [...parameters.keys(), ...flags.keys()]) {
    const namespace = namespaceOf(key);
    const keys = keysByNamespace.get(namespace);
    if (keys) keys.push(key);
    else keysByNamespace.set(namespace, [key]);
  }
  const defaults = new Map<string, JsonValue>();
  for (const [key, parameter] of parameters)
    if (parameter.default !== undefined) defaults.set(key, parameter.default);
  const environments = new Map<string, number>();
  catalog.environments.forEach((environment, position) => {
    if (!environments.has(environment.name)) environments.set(environment.name, position);
  });
  const index: CatalogIndex = {
    catalog,
    parameters,
    flags,
    defaults,
    namespaces: new Map([...firstBy(catalog.namespaces, (n) => n.name)].map(([name, n]) => [name, n.owner])),
    keysByNamespace,
    services: firstBy(catalog.services, (s) => s.name),
    teams: new Set(catalog.teams.map((t) => t.name)),
    environments,
  };
  cache.set(catalog, index);
  return index;
};
