import type { Catalog } from '../catalog/catalog.ts';
import { namespaceOf } from '../core/names.ts';
import type { JsonValue } from '../core/json.ts';
import { flagDefinitionSchema } from '../flags/flag.ts';
import type { FlagLinks } from './graph-input.ts';

/**
 * The catalog's flags as graph links: each flag reads its own key (a bundle changing the key
 * changes the flag), is owned by its namespace's team, and requires the flags its definitions name
 * as prerequisites in any environment. A definition that does not parse contributes nothing more.
 */
export const flagLinksOf = (
  catalog: Catalog,
  snapshots: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>,
): FlagLinks[] => {
  const owners = new Map(catalog.namespaces.map((n) => [n.name, n.owner]));
  return (catalog.flags ?? []).map(({ key }) => {
    const prerequisites = new Set<string>();
    for (const values of Object.values(snapshots)) {
      const parsed = flagDefinitionSchema.safeParse(values[key]);
      if (parsed.success) for (const p of parsed.data.prerequisites) prerequisites.add(p.flag);
    }
    const team = owners.get(namespaceOf(key));
    return {
      key,
      ...(team === undefined ? {} : { team }),
      keys: [key],
      prerequisites: [...prerequisites].sort(),
    };
  });
};
