import { badRequest, validationFailed } from '#domain/core/errors.ts';
import { isJsonObject } from '#domain/core/json.ts';
import type { Problem } from '#domain/core/problem.ts';
import { typeName } from '#domain/core/zod-problems.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import { parseIcs } from '#domain/calendar/ics.ts';
import {
  validateFreezeWindow,
  validateFreezeWindows,
  type WindowProblem,
} from '#domain/freeze/window-validation.ts';
import type { FreezeImportQuery } from '#api/freezes.ts';
import type { Deps } from '../deps.ts';
import { syncFreezes } from './sync-freezes.ts';
import { logger } from '../logger.ts';

/** A calendar larger than this is split into several requests. */
export const MAX_WINDOWS_PER_REQUEST = 200;

const located = (problems: readonly WindowProblem[], prefix: string): WindowProblem[] =>
  problems.map((p) => ({
    ...p,
    path: p.path === '' ? prefix : p.path.startsWith('[') ? `${prefix}${p.path}` : `${prefix}.${p.path}`,
  }));

const refuse = (problems: WindowProblem[]): never => {
  throw validationFailed(
    `Invalid freeze windows: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
    problems,
  );
};

/**
 * The windows of a `POST /freezes` body: one window, or a calendar `{ windows: [...] }` (a YAML
 * calendar file). Every problem of every window is reported at once, with its path.
 */
export const windowsOf = (document: unknown): FreezeWindow[] => {
  // Not an object at all (null, `~` in YAML, a list, a number): malformed input, not a broken rule.
  if (!isJsonObject(document)) {
    throw badRequest(
      `The body must be a freeze window or a calendar { windows: [...] }, not ${typeName(document)}.`,
      [
        {
          code: 'freeze.not-an-object',
          path: 'body',
          message: `must be a freeze window or a calendar { windows: [...] }, not ${typeName(document)}`,
        },
      ],
    );
  }
  if (!('windows' in document)) {
    const result = validateFreezeWindow(document);
    return result.ok ? [result.window] : refuse(located(result.problems, 'body'));
  }
  const extra = Object.keys(document).filter((key) => key !== 'windows');
  if (extra.length > 0) {
    refuse(
      extra.map((key) => ({
        code: 'freeze.unknown-field',
        path: `body.${key}`,
        message: `"${key}" is not a field of a calendar; it has windows only`,
      })),
    );
  }
  const { windows } = document;
  if (!Array.isArray(windows) || windows.length === 0 || windows.length > MAX_WINDOWS_PER_REQUEST) {
    refuse([
      {
        code: 'freeze.calendar',
        path: 'body.windows',
        message: `must be a list of 1 to ${MAX_WINDOWS_PER_REQUEST} windows`,
      },
    ]);
  }
  const malformed = (windows as unknown[]).flatMap((window, index) =>
    isJsonObject(window)
      ? []
      : [
          {
            code: 'freeze.not-an-object',
            path: `body.windows[${index}]`,
            message: `must be a freeze window object, not ${typeName(window)}`,
          },
        ],
  );
  if (malformed.length > 0)
    throw badRequest(
      `Invalid freeze windows: ${malformed.map((p) => `${p.path} ${p.message}`).join('; ')}`,
      malformed,
    );
  const result = validateFreezeWindows(windows as unknown[]);
  return result.ok ? result.windows : refuse(located(result.problems, 'body.windows'));
};

/**
 * The windows of an iCalendar import. Strict by default: any problem (an event that cannot become a
 * window, an id used twice) refuses the whole file with every problem and writes nothing. With
 * `skipInvalid`, the valid events are imported and the problems returned alongside.
 */
export const importedWindows = (
  text: string,
  query: FreezeImportQuery,
): { windows: FreezeWindow[]; problems: Problem[] } => {
  if (!/BEGIN:VCALENDAR/i.test(text))
    throw badRequest('The body is not an iCalendar file (no BEGIN:VCALENDAR).');
  const { level, timezone } = query;
  const parsed = parseIcs(text, { ...(level ? { level } : {}), ...(timezone ? { timezone } : {}) });
  const { windows, problems } = parsed;
  if (windows.length === 0 || (problems.length > 0 && query.skipInvalid !== 'true')) {
    throw badRequest(
      windows.length === 0 && problems.length === 0
        ? 'The calendar has no events to import; nothing was written.'
        : 'The calendar cannot be imported; nothing was written.',
      problems,
    );
  }
  return { windows, problems };
};

/** After a calendar change: activations and schedules follow (best effort; enforcement does not wait). */
export const syncAfterCalendarChange = async (deps: Deps, removed: readonly string[] = []): Promise<void> => {
  try {
    await syncFreezes(deps, { removed });
  } catch (error) {
    logger.warn('freeze sync after a calendar change failed', { error: error as Error });
  }
};
