import type { Catalog } from '../catalog/catalog.ts';
import type { CatalogIndex } from '../catalog/catalog-index.ts';
import type { JsonValue } from '../core/json.ts';
import { problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';
import { flagDefinitionSchema } from '../flags/flag.ts';
import { validateFlagChange, validateFlags } from '../flags/validate.ts';
import type { Bundle, Change } from './bundle.ts';
import { splitRuleIndex } from './flag-patch.ts';
import { flagRequirementProblems } from './flag-requirement-rules.ts';
import { changedKey } from './parse-bundle.ts';
import type { Snapshot } from './snapshot.ts';

/** Where a flag's definition problem points in the bundle: into the `set` value or the patch. */
const pathIn = (change: Change, i: number, path: string | undefined): string => {
  const at = `changes[${i}]`;
  if ('set' in change) return [`${at}.value`, path].filter(Boolean).join('.');
  if ('rules' in change && path?.startsWith('rules')) return `${at}.${path}`;
  if ('split' in change && path?.includes('rollout.split')) return `${at}.split`;
  return at;
};

/** A patch needs a live definition to apply to (and `split` a rule with a rollout). */
const patchProblems = (change: Change, i: number, env: FlagTarget | undefined): Problem[] => {
  if (!('flag' in change)) return [];
  const at = { key: change.flag, path: `changes[${i}]` };
  if (env === undefined) {
    const message = `flag ${change.flag} is patched; that works only where an environment already has it`;
    return [{ ...problem('flag.not-set', message, at), severity: 'warning' }];
  }
  const live = env.snapshot.values[change.flag];
  if (live === undefined) {
    const message = `flag ${change.flag} is not set in ${env.name}; set its whole definition before patching it`;
    return [problem('flag.not-set', message, at)];
  }
  if ('split' in change && splitRuleIndex(live, change) === undefined) {
    const which = change.rule === undefined ? 'no rule' : `rule ${change.rule} does not exist or`;
    const message = `flag ${change.flag} has ${which} has no rollout to split`;
    return [problem('flag.no-rollout', message, { ...at, path: `${at.path}.split` })];
  }
  return [];
};

export interface FlagTarget {
  name: string;
  snapshot: Snapshot;
  /** Service → version reported in the environment (deployment requirements). */
  services?: Readonly<Record<string, string>>;
}

/**
 * Flags a bundle changes, checked as flags once the bundle is applied: every validateFlags rule
 * (against the catalog's segments) for the flags it touches and those that depend on them, the type
 * the catalog declares, deployment requirements (flag-requirement-rules.ts), and no type change of a
 * live flag (validateFlagChange).
 */
export const flagRuleProblems = (
  bundle: Bundle,
  catalog: Catalog,
  index: CatalogIndex,
  env: FlagTarget | undefined,
  next: Snapshot,
): Problem[] => {
  const touched = new Map<string, { change: Change; i: number }>();
  const problems: Problem[] = [];
  bundle.changes.forEach((change, i) => {
    const key = changedKey(change);
    if (!index.flags.has(key)) return;
    touched.set(key, { change, i });
    problems.push(...patchProblems(change, i, env));
  });
  if (touched.size === 0) return problems;
  const definitions: Record<string, JsonValue> = {};
  for (const key of index.flags.keys()) {
    const value = next.values[key];
    if (value !== undefined) definitions[key] = value;
  }
  const validation = validateFlags(definitions, catalog.segments ?? {}, catalog.context);
  const dependsOnTouched = (key: string): boolean =>
    (validation.flags[key]?.prerequisites ?? []).some((p) => touched.has(p.flag));
  for (const found of validation.problems) {
    const key = found.key ?? '';
    const own = touched.get(key);
    if (own) problems.push({ ...found, path: pathIn(own.change, own.i, found.path) });
    else if (found.code === 'flag.prerequisite-cycle' || dependsOnTouched(key)) problems.push(found);
  }
  for (const [key, { change, i }] of touched) {
    const after = validation.flags[key];
    if (after === undefined) continue;
    const declared = index.flags.get(key)?.type;
    if (declared !== undefined && declared !== after.type) {
      const message = `flag ${key} is declared as ${declared} in the catalog, not ${after.type}`;
      problems.push(problem('flag.type-mismatch', message, { key, path: pathIn(change, i, 'type') }));
    }
    problems.push(...flagRequirementProblems(key, after, index, env, (path) => pathIn(change, i, path)));
    const live = flagDefinitionSchema.safeParse(env?.snapshot.values[key]);
    if (live.success)
      problems.push(
        ...validateFlagChange(key, live.data, after).map((p) => ({ ...p, path: pathIn(change, i, 'type') })),
      );
  }
  return problems;
};
