import type { z } from 'zod';
import { badRequest, validationFailed } from './errors.ts';
import type { Problem } from './problem.ts';
import { parseWith } from './zod-problems.ts';

/** Where an input came from: its problems are named from there (`body.windows[0].id`). */
export type InputPart = 'body' | 'query' | 'path' | `header.${string}`;

/** `body` + `windows[0].id` → `body.windows[0].id`; `body` + `[0]` → `body[0]`. */
export const under = (prefix: string, path: string | undefined): string =>
  path ? `${prefix}${path.startsWith('[') ? '' : '.'}${path}` : prefix;

export const prefixed = (problems: Problem[], prefix: string): Problem[] =>
  problems.map((p) => ({ ...p, path: under(prefix, p.path) }));

/**
 * Validate any input part against a schema; failures name the field and the rule. A body that breaks
 * a rule is 422 (validation failed); a malformed query, path or header is 400.
 */
export const parsePart = <S extends z.ZodType>(schema: S, value: unknown, part: InputPart): z.infer<S> => {
  const result = parseWith(schema, value);
  if (result.ok) return result.value;
  const problems = prefixed(result.problems, part);
  const message = `Invalid ${part}: ${problems.map((p) => `${p.path ?? part} ${p.message}`).join('; ')}`;
  throw part === 'body' ? validationFailed(message, problems) : badRequest(message, problems);
};
