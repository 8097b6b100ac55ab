import type { z } from 'zod';
import { problem, type Problem } from '../core/problem.ts';
import { freezeWindowSchema, type FreezeWindow } from './freeze-window.ts';

/** A problem with a path into the window (`schedule.rrule`, `scope.environments[0]`; `` for the root). */
export type WindowProblem = Problem & { path: string };

export type WindowValidation = { ok: true; window: FreezeWindow } | { ok: false; problems: WindowProblem[] };

type Issue = z.core.$ZodIssue;

const pathText = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`,
    '',
  );

const located = (code: string, message: string, path: readonly PropertyKey[]): WindowProblem => ({
  ...problem(code, message),
  path: pathText(path),
});

/** The input's value at a path (primitives have no properties). */
const valueAt = (value: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((node, key) => (Object(node) as Record<PropertyKey, unknown>)[key], value);

/**
 * Zod reports a schedule that fits neither shape as one union issue holding both branches' issues;
 * the branch meant is the recurring one when the input has an `rrule`, so only its issues are kept.
 */
const flatten = (
  issues: readonly Issue[],
  input: unknown,
  base: readonly PropertyKey[] = [],
): WindowProblem[] =>
  issues.flatMap((issue): WindowProblem[] => {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union') {
      const recurring = 'rrule' in (Object(valueAt(input, path)) as object);
      return flatten(issue.errors.filter((_, i) => i === (recurring ? 0 : 1)).flat(), input, path);
    }
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) =>
        located('freeze.unknown-field', `"${key}" is not a field here`, [...path, key]),
      );
    }
    const params = issue.code === 'custom' ? (issue.params as { code?: string } | undefined) : undefined;
    return [located(params?.code ?? 'freeze.invalid-field', issue.message, path)];
  });

/** Validate one window, returning every problem at once, each with a stable `freeze.*` code and a path. */
export const validateFreezeWindow = (input: unknown): WindowValidation => {
  const result = freezeWindowSchema.safeParse(input);
  return result.success
    ? { ok: true, window: result.data }
    : { ok: false, problems: flatten(result.error.issues, input) };
};

/** Validate a calendar of windows: each one, and that ids are unique. */
export const validateFreezeWindows = (
  inputs: readonly unknown[],
): { ok: true; windows: FreezeWindow[] } | { ok: false; problems: WindowProblem[] } => {
  const windows: FreezeWindow[] = [];
  const problems: WindowProblem[] = [];
  const seen = new Set<string>();
  inputs.forEach((input, index) => {
    const result = validateFreezeWindow(input);
    if (!result.ok) {
      problems.push(
        ...result.problems.map((p) => ({
          ...p,
          path: p.path === '' ? `[${index}]` : `[${index}].${p.path}`,
        })),
      );
      return;
    }
    if (seen.has(result.window.id)) {
      problems.push(
        located('freeze.duplicate-id', `window id "${result.window.id}" is used twice`, [index, 'id']),
      );
    }
    seen.add(result.window.id);
    windows.push(result.window);
  });
  return problems.length === 0 ? { ok: true, windows } : { ok: false, problems };
};
