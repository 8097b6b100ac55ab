import { canonicalJson } from '#domain/core/json.ts';
import type { FlagSet } from '#api/flags/flag-set.ts';

/** A flag's definition with the segments it references: what its evaluation reads of the set. */
const fingerprint = (set: FlagSet, key: string): string | undefined => {
  const flag = Object.hasOwn(set.flags, key) ? set.flags[key] : undefined;
  if (flag === undefined) return undefined;
  const names = new Set(flag.rules.flatMap((rule) => rule.segments));
  const segments = [...names]
    .sort()
    .map((name) => (Object.hasOwn(set.segments, name) ? set.segments[name] : null));
  return canonicalJson({ flag, segments });
};

/** Keys added, removed or changed between two sets (a changed segment changes the flags using it), sorted. */
export const changedFlags = (before: FlagSet, after: FlagSet): string[] =>
  [...new Set([...Object.keys(before.flags), ...Object.keys(after.flags)])]
    .filter((key) => fingerprint(before, key) !== fingerprint(after, key))
    .sort();
