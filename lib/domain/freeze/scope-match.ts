import { globMatch } from '../core/glob.ts';

/**
 * Scope globs, matched with the core glob (`*`: any run except `.`, `**`: anything). Environments,
 * namespaces, teams and change kinds contain no `.`, so both behave alike on them today.
 */
const GLOB = /^[A-Za-z0-9._*-]{1,128}$/;

/** Why a scope glob is not acceptable, or null. */
export const globProblem = (pattern: string): string | null => {
  if (!GLOB.test(pattern))
    return `"${pattern}" is not a glob: use letters, digits, . _ - and * (1-128 characters)`;
  if (pattern.includes('***')) return `"${pattern}" has three stars in a row; use * or **`;
  return null;
};

/** A list of globs as one predicate; `undefined` patterns mean "everything". */
export type GlobList = (text: string) => boolean;

export const globList = (patterns: readonly string[] | undefined): GlobList | undefined =>
  patterns === undefined ? undefined : (text) => patterns.some((pattern) => globMatch(pattern, text));

/**
 * Does a scope dimension apply to the values a change touches? An absent scope applies to everything.
 * Absent values mean "not known": the change might touch anything, so a scoped window still applies
 * (fail closed). An empty list means the change touches nothing in this dimension.
 */
export const dimensionApplies = (
  list: GlobList | undefined,
  values: readonly string[] | undefined,
): boolean => list === undefined || values === undefined || values.some(list);
