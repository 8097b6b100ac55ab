import { canonicalJson } from '../core/json.ts';
import { formatBundleRef } from '../core/names.ts';
import { problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';
import type { Bundle, Change, SealedBundle } from './bundle.ts';
import { changedKey } from './parse-bundle.ts';

/** Natural order of version labels: 2 < 10, 1.9.0 < 1.10.0, 2026-12-01 < 2026-12-02. */
export const compareVersions = (a: string, b: string): number =>
  a.localeCompare(b, 'en', { numeric: true, sensitivity: 'variant' });

/** The latest version of every other bundle of the same release, by name. */
const latestOthers = (bundle: Bundle, releaseBundles: readonly SealedBundle[]): Bundle[] => {
  const latest = new Map<string, Bundle>();
  for (const { bundle: other } of releaseBundles) {
    if (other.release !== bundle.release || other.name === bundle.name) continue;
    const known = latest.get(other.name);
    if (!known || compareVersions(other.version, known.version) > 0) latest.set(other.name, other);
  }
  return [...latest.values()].sort((a, b) => a.name.localeCompare(b.name));
};

const describe = (change: Change): string =>
  'set' in change
    ? `sets it to ${canonicalJson(change.value)}`
    : 'delete' in change
      ? 'deletes it'
      : `patches it with ${canonicalJson(change)}`;

/**
 * `release.conflict`: another bundle of the release (its latest version) sets one of this bundle's
 * keys to a different value, or one sets what the other deletes. Two deletes agree.
 */
export const releaseConflicts = (bundle: Bundle, releaseBundles: readonly SealedBundle[]): Problem[] => {
  const others = latestOthers(bundle, releaseBundles);
  if (others.length === 0) return [];
  const mine = new Map<string, { change: Change; i: number }>();
  bundle.changes.forEach((change, i) => mine.set(changedKey(change), { change, i }));
  const problems: Problem[] = [];
  for (const other of others) {
    for (const theirs of other.changes) {
      const key = changedKey(theirs);
      const own = mine.get(key);
      if (!own) continue;
      // Equal changes agree: the same value set, two deletes, the same flag patch.
      const agree = canonicalJson(own.change) === canonicalJson(theirs);
      if (agree) continue;
      const message = `${key}: this bundle ${describe(own.change)}, but ${formatBundleRef(other)} of release ${bundle.release} ${describe(theirs)}`;
      problems.push(problem('release.conflict', message, { key, path: `changes[${own.i}]` }));
    }
  }
  return problems;
};
