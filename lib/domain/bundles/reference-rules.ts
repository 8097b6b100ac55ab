import type { Catalog } from '../catalog/catalog.ts';
import type { CatalogIndex } from '../catalog/catalog-index.ts';
import { checkValue } from '../catalog/parameter-value.ts';
import { canonicalJson } from '../core/json.ts';
import { problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';
import { cycleProblem, resolveMap } from '../dependencies/references.ts';
import type { MapResolution, ReferenceCycle } from '../dependencies/references.ts';
import { effectiveValues } from '../environments/config.ts';
import type { Bundle } from './bundle.ts';
import { changedKey } from './parse-bundle.ts';
import type { Snapshot } from './snapshot.ts';

/** Keys whose resolved value depends on a key in `sources`, the sources included. */
const dependents = (references: MapResolution['references'], sources: ReadonlySet<string>): Set<string> => {
  const reverse = new Map<string, string[]>();
  for (const [key, refs] of references) {
    for (const ref of refs) {
      const list = reverse.get(ref);
      if (list) list.push(key);
      else reverse.set(ref, [key]);
    }
  }
  const reached = new Set(sources);
  const queue = [...sources];
  for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
    for (const referrer of reverse.get(key) ?? []) {
      if (!reached.has(referrer)) {
        reached.add(referrer);
        queue.push(referrer);
      }
    }
  }
  return reached;
};

/** The cycle's path rotated to start at a key the bundle sets, so the problem names it. */
const blameCycle = (cycle: ReferenceCycle, sets: ReadonlySet<string>): Problem => {
  const loop = cycle.path.slice(0, -1);
  const start = Math.max(
    0,
    loop.findIndex((key) => sets.has(key)),
  );
  const rotated = [...loop.slice(start), ...loop.slice(0, start)];
  const first = rotated[0] ?? cycle.path[0];
  return cycleProblem([first, ...rotated.slice(1), first]);
};

/**
 * Reference rules on the configuration the bundle produces (`next`): every problem the bundle causes
 * and none it merely inherits. It is blamed for keys it sets that do not resolve, references left
 * dangling by keys it deletes, cycles through keys it sets, and resolved values that no longer fit
 * their parameter when they depend on a key it changes.
 */
export const referenceProblems = (
  bundle: Bundle,
  catalog: Catalog,
  index: CatalogIndex,
  next: Snapshot,
): Problem[] => {
  // resolveMap resolves in place; membership (`has`) still tells set keys from absent ones.
  const authored = effectiveValues(catalog, next);
  const resolution = resolveMap(authored);
  const sets = new Set<string>();
  const deletes = new Set<string>();
  const position = new Map<string, number>();
  bundle.changes.forEach((change, i) => {
    const key = changedKey(change);
    ('set' in change ? sets : deletes).add(key);
    position.set(key, i);
  });
  const changeAt = (key: string): string => `changes[${position.get(key) ?? 0}]`;
  const problems: Problem[] = [];
  const failed = new Set<string>();
  for (const found of resolution.problems) {
    if (found.code !== 'reference.unresolved') continue;
    const key = found.key ?? '';
    failed.add(key);
    const dangling = (resolution.references.get(key) ?? []).find(
      (ref) => deletes.has(ref) && !authored.has(ref),
    );
    if (sets.has(key)) problems.push({ ...found, path: `${changeAt(key)}.value` });
    else if (dangling !== undefined) {
      const message = `${key} references ${dangling}, which this bundle deletes`;
      problems.push(problem('reference.unresolved', message, { key, path: changeAt(dangling) }));
    }
  }
  for (const cycle of resolution.cycles) {
    for (const key of cycle.members) failed.add(key);
    if (cycle.members.some((key) => sets.has(key))) problems.push(blameCycle(cycle, sets));
  }
  const affected = dependents(resolution.references, new Set([...sets, ...deletes]));
  for (const key of resolution.references.keys()) {
    const parameter = index.parameters.get(key);
    if (!parameter || failed.has(key) || !affected.has(key)) continue;
    const value = resolution.values.get(key) ?? null;
    const misfit = checkValue(parameter, value);
    if (misfit === undefined) continue;
    const message = `${key} resolves to ${canonicalJson(value)}, which ${misfit}`;
    const path = sets.has(key) ? `${changeAt(key)}.value` : undefined;
    problems.push(problem('value.invalid', message, { key, path }));
  }
  return problems;
};
