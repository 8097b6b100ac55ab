import type { z } from 'zod';
import type { Problem } from '../core/problem.ts';
import { formatPath, parseWith } from '../core/zod-problems.ts';

export type SchemaParse<T> = { ok: true; value: T; problems: [] } | { ok: false; problems: Problem[] };

const key = (path: string | undefined, message: string): string => `${path ?? ''}\u0000${message}`;

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
  const rules = new Map<string, string>();
  for (const issue of schema.safeParse(value).error?.issues ?? []) {
    const rule: unknown = issue.code === 'custom' ? issue.params?.rule : undefined;
    if (typeof rule === 'string') rules.set(key(formatPath(issue.path), issue.message), `${prefix}.${rule}`);
  }
  const problems = parsed.problems.map((p): Problem => {
    const code = rules.get(key(p.path, p.message));
    return code === undefined ? p : { ...p, code };
  });
  return { ok: false, problems };
};
