import type { z } from 'zod';
import type { Problem } from '../core/problem.ts';

/**
 * Zod issues → Problems, kept minimal and local to rollout until the shared core mapper lands.
 * Codes are `<prefix>.<rule>`: a custom issue names its rule in `params.rule` (e.g. `invalid-duration`,
 * `alarm-template`), an unknown field is `unknown-field`, anything else `invalid`.
 */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');

const ruleOf = (issue: z.core.$ZodIssue): string => {
  if (issue.code === 'custom') {
    const rule: unknown = issue.params?.rule;
    if (typeof rule === 'string') return rule;
  }
  return 'invalid';
};

export const problemsFromIssues = (
  prefix: string,
  issues: readonly z.core.$ZodIssue[],
  base: ReadonlyArray<PropertyKey> = [],
): Problem[] =>
  issues.flatMap((issue): Problem[] => {
    const path = [...base, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        code: `${prefix}.unknown-field`,
        path: formatPath([...path, key]),
        message: `unknown field "${key}"`,
      }));
    }
    const where = formatPath(path);
    return [
      { code: `${prefix}.${ruleOf(issue)}`, ...(where ? { path: where } : {}), message: issue.message },
    ];
  });
