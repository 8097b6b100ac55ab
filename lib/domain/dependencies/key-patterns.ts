import { globMatch, isGlob } from '../core/glob.ts';

/** First index in sorted `keys` whose key is >= text. */
const lowerBound = (keys: readonly string[], text: string): number => {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((keys[middle] as string) < text) low = middle + 1;
    else high = middle;
  }
  return low;
};

/**
 * Keys matched by each glob pattern. Keys are sorted once; a pattern only tests the run of keys
 * that share its literal prefix (found by binary search), so `payments.checkout.*` never looks at
 * `search.*`. Cost: patterns × log(keys) plus the candidates each prefix selects.
 */
export const keyMatcher = (allKeys: Iterable<string>): ((pattern: string) => string[]) => {
  const keys = [...new Set(allKeys)].sort();
  const present = new Set(keys);
  return (pattern) => {
    if (!isGlob(pattern)) return present.has(pattern) ? [pattern] : [];
    const prefix = pattern.slice(0, pattern.indexOf('*'));
    const matched: string[] = [];
    for (let at = lowerBound(keys, prefix); at < keys.length; at += 1) {
      const key = keys[at] as string;
      if (!key.startsWith(prefix)) break;
      if (globMatch(pattern, key)) matched.push(key);
    }
    return matched;
  };
};
