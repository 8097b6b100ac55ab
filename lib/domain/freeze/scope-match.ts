/**
 * Glob matching for window scopes: `*` matches any run of characters except `.`, `**` matches anything.
 * Environments, namespaces, teams and change kinds contain no `.`, so both behave alike on them today.
 *
 * Local on purpose: lib/domain/core/glob.ts (`globMatch`) is being written in parallel with the same
 * semantics; once it lands this file should delegate to it.
 */
const GLOB = /^[A-Za-z0-9._*-]{1,128}$/;

export const globProblem = (pattern: string): string | null => {
  if (!GLOB.test(pattern))
    return `"${pattern}" is not a glob: use letters, digits, . _ - and * (1-128 characters)`;
  if (pattern.includes('***')) return `"${pattern}" has three stars in a row; use * or **`;
  return null;
};

const compiled = new Map<string, RegExp>();

const toRegExp = (pattern: string): RegExp => {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    const body = pattern
      .split('**')
      .map((part) =>
        part
          .split('*')
          .map((text) => text.replace(/\./g, '\\.'))
          .join('[^.]*'),
      )
      .join('.*');
    regex = new RegExp(`^${body}$`);
    compiled.set(pattern, regex);
  }
  return regex;
};

export const globMatch = (pattern: string, text: string): boolean => toRegExp(pattern).test(text);

/** A compiled list of globs; `undefined` patterns mean "everything". */
export type GlobList = (text: string) => boolean;

export const globList = (patterns: readonly string[] | undefined): GlobList | undefined => {
  if (patterns === undefined) return undefined;
  const regexes = patterns.map(toRegExp);
  return (text) => regexes.some((r) => r.test(text));
};

/**
 * Does a scope dimension apply to the values a change touches? An absent scope applies to everything.
 * Absent values mean "not known": the change might touch anything, so a scoped window still applies
 * (fail closed). An empty list means the change touches nothing in this dimension.
 */
export const dimensionApplies = (
  list: GlobList | undefined,
  values: readonly string[] | undefined,
): boolean => list === undefined || values === undefined || values.some(list);
