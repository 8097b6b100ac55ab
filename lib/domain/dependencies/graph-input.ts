import type { Bundle } from '../bundles/bundle.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { JsonValue } from '../core/json.ts';

/**
 * What a flag contributes to the graph, kept free of the flags domain so that any flag model maps
 * onto it: the keys its rules read, the flags it requires first, the services it needs.
 */
export interface FlagLinks {
  key: string;
  team?: string;
  /** Parameter keys its rules or variants read. */
  keys?: readonly string[];
  prerequisites?: readonly string[];
  requires?: readonly { service: string; range: string }[];
}

/** Plain domain values a dependency graph is built from. */
export interface DependencyInput {
  catalog: Catalog;
  /** Environment → its HEAD snapshot values (as authored, references unresolved). */
  snapshots?: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;
  /** Pushed bundles. */
  bundles?: readonly Bundle[];
  /** Environment → service → the version CI/CD reported as running there. */
  versions?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  flags?: readonly FlagLinks[];
}
