import type { Bundle } from '../bundles/bundle.ts';
import type { Snapshot } from '../bundles/snapshot.ts';
import { indexCatalog } from '../catalog/catalog-index.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { canonicalJson } from '../core/json.ts';
import { namespaceOf } from '../core/names.ts';
import { changedKey } from '../bundles/parse-bundle.ts';

/** What a change touches, as freeze scopes see it. */
export interface ChangeScope {
  namespaces: string[];
  teams: string[];
}

const scopeOf = (catalog: Catalog, keys: Iterable<string>, teams: readonly string[] = []): ChangeScope => {
  const namespaces = [...new Set([...keys].map(namespaceOf))].sort();
  const owners = indexCatalog(catalog).namespaces;
  const owning = namespaces.map((ns) => owners.get(ns)).filter((team): team is string => team !== undefined);
  return { namespaces, teams: [...new Set([...teams, ...owning])].sort() };
};

/** A bundle touches the namespaces of the keys it changes; it belongs to its team and those owners. */
export const bundleScope = (catalog: Catalog, bundle: Bundle): ChangeScope =>
  scopeOf(catalog, bundle.changes.map(changedKey), [bundle.team]);

/** A release touches what any of its bundles touches. */
export const releaseScope = (catalog: Catalog, bundles: readonly Bundle[]): ChangeScope =>
  scopeOf(
    catalog,
    bundles.flatMap((b) => b.changes.map(changedKey)),
    bundles.map((b) => b.team),
  );

/** A flip from one snapshot to another (a rollback) touches every key whose value differs. */
export const snapshotChangeScope = (catalog: Catalog, before: Snapshot, after: Snapshot): ChangeScope => {
  const keys = new Set([...Object.keys(before.values), ...Object.keys(after.values)]);
  const differs = [...keys].filter((key) => {
    const a = before.values[key];
    const b = after.values[key];
    return a === undefined || b === undefined || canonicalJson(a) !== canonicalJson(b);
  });
  return scopeOf(catalog, differs);
};
