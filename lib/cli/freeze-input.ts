import { DateTime, Duration } from 'luxon';
import { parseDocument } from '#domain/core/document.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import { validateFreezeWindows } from '#domain/freeze/window-validation.ts';
import { CliError, exitCodes, usageError } from './exit-codes.ts';
import type { InputFile } from './read-input.ts';

/** The flags of `convoy freeze add` that describe one window instead of a file. */
export interface WindowFlags {
  id?: string;
  name?: string;
  description?: string;
  env?: string[];
  namespace?: string[];
  team?: string[];
  kind?: string[];
  start?: string;
  end?: string;
  rrule?: string;
  duration?: string;
  until?: string;
  timezone?: string;
  level?: string;
  allow?: string[];
  forbidRollback?: boolean;
  inFlight?: string;
}

/** A window id from its name: `Incident freeze (EU)` → `incident-freeze-eu`. */
export const slugOf = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');

const ISO_SECONDS = { suppressMilliseconds: true } as const;

/**
 * `now` → the current instant rounded up to the next whole second: a window added "now" never reaches
 * back over a change committed a moment before, and iCalendar (whole seconds) carries it exactly.
 * Anything else is kept as written (the domain validates it).
 */
const instantText = (text: string, now: Date): string =>
  text.trim().toLowerCase() === 'now'
    ? new Date(Math.ceil(now.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z')
    : text;

/**
 * The end of a one-off window given as a duration after its start, as a calendar reads it: an instant
 * start gives an instant end with the same offset, a local start gives a local end in `timezone`.
 */
const endAfter = (start: string, duration: string, timezone: string | undefined): string => {
  const length = Duration.fromISO(duration);
  if (!length.isValid)
    throw usageError(`--duration ${duration} is not an ISO 8601 duration.`, 'Write e.g. PT2H or P2DT12H.');
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(start);
  const from = zoned
    ? DateTime.fromISO(start, { setZone: true })
    : DateTime.fromISO(start, { zone: timezone ?? 'utc' });
  if (!from.isValid)
    throw usageError(`--start ${start} is not an ISO 8601 date-time.`, 'Write e.g. 2026-12-18T18:00 or now.');
  const to = from.plus(length);
  return zoned
    ? to.toISO(ISO_SECONDS)
    : to.toFormat(to.second === 0 ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd'T'HH:mm:ss");
};

const scopeOf = (flags: WindowFlags): Record<string, string[]> =>
  Object.fromEntries(
    (
      [
        ['environments', flags.env],
        ['namespaces', flags.namespace],
        ['teams', flags.team],
        ['changeKinds', flags.kind],
      ] as const
    ).flatMap(([field, globs]) => (globs === undefined || globs.length === 0 ? [] : [[field, globs]])),
  );

/**
 * One window document from flags: a one-off with --start and --end (or --duration), or a recurring
 * one with --rrule, --duration and --timezone. The result is validated like a file.
 */
export const windowFromFlags = (flags: WindowFlags, now: Date): unknown => {
  if (flags.name === undefined)
    throw usageError(
      'A window needs --name (or a file).',
      'e.g. convoy freeze add --name "Incident freeze" …',
    );
  let schedule: Record<string, string>;
  if (flags.rrule !== undefined) {
    if (flags.end !== undefined)
      throw usageError('--end is for one-off windows; a recurring one lasts --duration.');
    if (flags.duration === undefined || flags.timezone === undefined)
      throw usageError(
        'A recurring window needs --rrule, --duration and --timezone.',
        'e.g. --rrule "FREQ=WEEKLY;BYDAY=FR;BYHOUR=18" --duration P2DT12H --timezone Europe/Berlin',
      );
    schedule = {
      rrule: flags.rrule,
      duration: flags.duration,
      timezone: flags.timezone,
      ...(flags.start === undefined ? {} : { start: instantText(flags.start, now) }),
      ...(flags.until === undefined ? {} : { until: flags.until }),
    };
  } else {
    if (flags.start === undefined || (flags.end === undefined) === (flags.duration === undefined))
      throw usageError(
        'A one-off window needs --start and either --end or --duration (a recurring one needs --rrule).',
        'e.g. --start now --duration PT4H, or --start 2026-12-18T18:00 --end 2027-01-04T08:00 --timezone Europe/Berlin',
      );
    if (flags.until !== undefined) throw usageError('--until is for recurring windows (--rrule).');
    const start = instantText(flags.start, now);
    schedule = {
      start,
      end: flags.end === undefined ? endAfter(start, flags.duration as string, flags.timezone) : flags.end,
      ...(flags.timezone === undefined ? {} : { timezone: flags.timezone }),
    };
  }
  return {
    id: flags.id ?? slugOf(flags.name),
    name: flags.name,
    ...(flags.description === undefined ? {} : { description: flags.description }),
    scope: scopeOf(flags),
    schedule,
    level: flags.level ?? 'hard',
    ...(flags.allow === undefined || flags.allow.length === 0 ? {} : { allow: flags.allow }),
    ...(flags.forbidRollback === true ? { forbidRollback: true } : {}),
    ...(flags.inFlight === undefined ? {} : { inFlight: flags.inFlight }),
  };
};

/** A calendar file holds one window, a list of windows, or `{ windows: [...] }`. */
export const windowDocuments = (input: InputFile): unknown[] => {
  const parsed = parseDocument(input.text, input.format);
  if (!parsed.ok) {
    throw new CliError(`${input.path} is not well-formed ${input.format.toUpperCase()}.`, exitCodes.usage, {
      problem: { problems: parsed.problems },
      hint: 'Fix the syntax error shown and retry.',
    });
  }
  const doc = parsed.value;
  if (Array.isArray(doc)) return doc;
  if (doc && typeof doc === 'object' && 'windows' in doc) {
    const { windows } = doc;
    if (Array.isArray(windows)) return windows;
  }
  return [doc];
};

/**
 * Validate windows before sending them (the same rules the API applies), returning every problem at
 * once: exit 1, like the API's 422.
 */
export const validatedWindows = (documents: readonly unknown[], source: string): FreezeWindow[] => {
  const result = validateFreezeWindows(documents);
  if (result.ok) return result.windows;
  // One window: paths as written in it (`schedule.rrule`), not as the first of a list (`[0].schedule.rrule`).
  const problems =
    documents.length === 1
      ? result.problems.map((p) => ({ ...p, path: p.path.replace(/^\[0\]\.?/, '') || '-' }))
      : result.problems;
  throw new CliError(
    `${source}: ${problems.length} problem(s) in the freeze window(s).`,
    exitCodes.rejected,
    {
      problem: { problems },
      hint: 'Fix the problems listed and retry; nothing was sent.',
    },
  );
};
