import type { z } from 'zod';
import type { Problem } from '../core/problem.ts';
import { formatPath, parseWith } from '../core/zod-problems.ts';

export type SchemaParse<T> = { ok: true; value: T; problems: [] } | { ok: false; problems: Problem[] };

/**
 * Parse with the shared zod mapper (`field.required`, `field.type`, `field.unknown`, `field.invalid`),
 * except that rollout rules written as custom issues keep their own code: an issue with
 * `params.rule` (e.g. `invalid-duration`, `alarm-template`, `no-phases`) becomes `<prefix>.<rule>`.
 */
export const parseWithRules = <S extends z.ZodType>(
  prefix: string,
  schema: S,
  value: unknown,
): SchemaParse<z.output<S>> => {
  const parsed = parseWith(schema, value);
  if (parsed.ok) return { ok: true, value: parsed.value, problems: [] };
  // A document too deep for parseWith may still parse here; then there is no rule to re-code.
  const rules = (schema.safeParse(value).error?.issues ?? []).flatMap((issue) => {
    const rule: unknown = issue.code === 'custom' ? issue.params?.rule : undefined;
    return typeof rule === 'string'
      ? [{ path: formatPath(issue.path), message: issue.message, code: `${prefix}.${rule}` }]
      : [];
  });
  const problems = parsed.problems.map((p): Problem => {
    const rule = rules.find((r) => r.path === p.path && r.message === p.message);
    return rule ? { ...p, code: rule.code } : p;
  });
  return { ok: false, problems };
};
