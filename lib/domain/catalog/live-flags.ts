import { problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';
import type { Catalog } from './catalog.ts';

/** The flag keys set in each environment's HEAD snapshot (live flags), by environment. */
export type LiveFlags = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * A catalog change may not pull a live flag from under its applications: removing a flag, or changing
 * its value type, while some environment's HEAD holds it is refused (`catalog.flag-live-removed`,
 * `catalog.flag-live-type-change`), naming the flag and every environment it is live in. Retire a flag
 * by deleting it in a bundle everywhere first; a new type is a new flag.
 */
export const liveFlagProblems = (
  previous: Catalog | undefined,
  next: Catalog,
  live: LiveFlags,
): Problem[] => {
  const nextFlags = new Map((next.flags ?? []).map((flag, i) => [flag.key, { ...flag, i }]));
  const problems: Problem[] = [];
  for (const before of previous?.flags ?? []) {
    const after = nextFlags.get(before.key);
    if (after?.type === before.type) continue;
    const environments = [...live].filter(([, keys]) => keys.has(before.key)).map(([env]) => env);
    if (environments.length === 0) continue;
    const where = `live in ${environments.join(', ')}`;
    problems.push(
      after === undefined
        ? problem(
            'catalog.flag-live-removed',
            `flag ${before.key} is ${where}; delete it in a bundle there before removing it from the catalog`,
            { key: before.key, path: 'flags' },
          )
        : problem(
            'catalog.flag-live-type-change',
            `flag ${before.key} is ${where} as ${before.type}; it cannot become ${after.type} (create a new flag)`,
            { key: before.key, path: `flags[${after.i}].type` },
          ),
    );
  }
  return problems;
};

/** The flags whose removal or type change would need the live check (none: no store reads at all). */
export const flagsAtRisk = (previous: Catalog | undefined, next: Catalog): string[] => {
  const nextTypes = new Map((next.flags ?? []).map((flag) => [flag.key, flag.type]));
  return (previous?.flags ?? []).filter((f) => nextTypes.get(f.key) !== f.type).map((f) => f.key);
};
