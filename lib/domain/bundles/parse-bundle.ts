import { problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';
import { parseWith } from '../core/zod-problems.ts';
import { bundleSchema } from './bundle.ts';
import type { Bundle, Change } from './bundle.ts';

/** The parameter or flag key a change touches. */
export const changedKey = (change: Change): string =>
  'set' in change ? change.set : 'delete' in change ? change.delete : change.flag;

/** `change.duplicate-key` for every change that touches a key an earlier change already touched. */
export const duplicateChanges = (changes: readonly Change[]): Problem[] => {
  const first = new Map<string, number>();
  const problems: Problem[] = [];
  changes.forEach((change, i) => {
    const key = changedKey(change);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else {
      const message = `${key} is changed twice (changes[${earlier}] and changes[${i}]); a bundle changes a key once`;
      problems.push(problem('change.duplicate-key', message, { key, path: `changes[${i}]` }));
    }
  });
  return problems;
};

/** A bundle document into a Bundle, or every structural problem (field codes, duplicate keys). */
export const parseBundle = (
  input: unknown,
): { ok: true; bundle: Bundle } | { ok: false; problems: Problem[] } => {
  const parsed = parseWith(bundleSchema, input);
  if (!parsed.ok) return parsed;
  const duplicates = duplicateChanges(parsed.value.changes);
  return duplicates.length > 0 ? { ok: false, problems: duplicates } : { ok: true, bundle: parsed.value };
};
