import type { z } from 'zod';
import { problem, type Problem } from '../core/problem.ts';
import { freezeWindowSchema, type FreezeWindow } from './freeze-window.ts';

export type WindowValidation = { ok: true; window: FreezeWindow } | { ok: false; problems: Problem[] };

type Issue = z.core.$ZodIssue;

const pathText = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`,
    '',
  );

const at = (value: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (node, key) =>
      typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[key] : undefined,
    value,
  );

/**
 * Zod reports a schedule that fits neither shape as one union issue holding both branches' issues;
 * the branch meant is the recurring one when the input has an `rrule`, so only its issues are kept.
 */
const flatten = (issues: readonly Issue[], input: unknown, base: readonly PropertyKey[] = []): Problem[] =>
  issues.flatMap((issue): Problem[] => {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union') {
      const node = at(input, path);
      const recurring = typeof node === 'object' && node !== null && 'rrule' in node;
      const branch = issue.errors[recurring ? 0 : 1] ?? [];
      return flatten(branch, input, path);
    }
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) =>
        problem('freeze.unknown-field', `"${key}" is not a field here`, { path: pathText([...path, key]) }),
      );
    }
    const params = issue.code === 'custom' ? (issue.params as { code?: string } | undefined) : undefined;
    return [problem(params?.code ?? 'freeze.invalid-field', issue.message, { path: pathText(path) })];
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
): { ok: true; windows: FreezeWindow[] } | { ok: false; problems: Problem[] } => {
  const windows: FreezeWindow[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  inputs.forEach((input, index) => {
    const result = validateFreezeWindow(input);
    if (!result.ok) {
      problems.push(
        ...result.problems.map((p) => ({
          ...p,
          path: `[${index}]${p.path === '' ? '' : '.'}${p.path ?? ''}`,
        })),
      );
      return;
    }
    if (seen.has(result.window.id)) {
      problems.push(
        problem('freeze.duplicate-id', `window id "${result.window.id}" is used twice`, {
          path: `[${index}].id`,
        }),
      );
    }
    seen.add(result.window.id);
    windows.push(result.window);
  });
  return problems.length === 0 ? { ok: true, windows } : { ok: false, problems };
};
