import { Duration } from 'luxon';
import { sha256 } from '../core/json.ts';
import { NAME_PATTERN } from '../core/names.ts';
import { problem, type Problem } from '../core/problem.ts';
import type { FreezeLevel } from '../freeze/change-kind.ts';
import type { FreezeScope, FreezeWindow } from '../freeze/freeze-window.ts';
import { CONVOY_PROPERTIES } from './ics-export.ts';
import {
  localIso,
  parseContentLine,
  parseIcsDateTime,
  structureProblems,
  unescapeText,
  unfoldNumbered,
  type ContentLine,
} from './ics-text.ts';
import { isValidTimeZone, startInstant, toIso, wallAdder, wallOf } from '../freeze/local-time.ts';
import { validateFreezeWindow } from '../freeze/window-validation.ts';

export interface IcsImportOptions {
  /** Zone of floating times and all-day dates; default the calendar's X-WR-TIMEZONE, else UTC. */
  timezone?: string;
  /** Level of events without X-CONVOY-LEVEL (default hard: a closed period in a change calendar). */
  level?: FreezeLevel;
  /** Scope of events without X-CONVOY-* scope properties (default: everything). */
  scope?: FreezeScope;
}

/** Properties that change which instants an event covers; ignoring them would import a wrong schedule. */
const UNSUPPORTED = ['RDATE', 'EXDATE', 'EXRULE', 'RECURRENCE-ID'];

/** Properties the import reads: each may be given once, or which one counts would be a guess. */
const READ = new Set([
  'UID',
  'SUMMARY',
  'DESCRIPTION',
  'DTSTART',
  'DTEND',
  'DURATION',
  'RRULE',
  'STATUS',
  ...Object.values(CONVOY_PROPERTIES),
]);

type Props = Map<string, ContentLine>;

const slug = (uid: string): string => {
  const id = uid
    .replace(/@convoy$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return NAME_PATTERN.test(id) ? id : `ics-${sha256(uid).slice(0, 16)}`;
};

const list = (props: Props, name: string): string[] | undefined => {
  const value = props.get(name)?.value;
  return value === undefined ? undefined : value.split(',').map((v) => v.trim());
};

/** One DTSTART/DTEND as a schedule field: `...Z` for UTC, a local reading plus its zone otherwise. */
const when = (line: ContentLine, fallbackZone: string): When | string => {
  const parsed = parseIcsDateTime(line.value);
  if (parsed === null) return `${line.name} "${line.value}" is not an iCalendar date or date-time`;
  if (parsed.utc) return { text: toIso(parsed.ms), zone: undefined, wall: parsed.ms, date: false };
  const zone = line.params.TZID?.replace(/^\//, '') ?? fallbackZone;
  return { text: localIso(parsed.ms), zone, wall: parsed.ms, date: parsed.date };
};

type When = { text: string; zone: string | undefined; wall: number; date: boolean };

/** The instant a DTEND names, when it can be known (UTC, or a reading in a known zone). */
const instantOf = (end: When): number | undefined =>
  end.zone === undefined
    ? end.wall
    : isValidTimeZone(end.zone)
      ? startInstant(end.wall, end.zone)
      : undefined;

/** The schedule of an event, or why it has none. */
const scheduleOf = (props: Props, zone: string): Record<string, string> | string => {
  const start = props.get('DTSTART');
  if (start === undefined) return 'DTSTART is missing';
  const from = when(start, zone);
  if (typeof from === 'string') return from;
  const endLine = props.get('DTEND');
  const end = endLine === undefined ? undefined : when(endLine, zone);
  if (typeof end === 'string') return end;
  const timezone = from.zone ?? 'UTC';
  // An end in another zone than the start is carried as an instant, or as a reading in the start's zone.
  const endInstant = end === undefined || end.zone === from.zone ? undefined : instantOf(end);
  const durationText = props.get('DURATION')?.value ?? (from.date && end === undefined ? 'P1D' : undefined);
  const rrule = props.get('RRULE')?.value;
  if (rrule !== undefined) {
    const endWall =
      endInstant === undefined || !isValidTimeZone(timezone) ? end?.wall : wallOf(endInstant, timezone);
    const duration =
      durationText ??
      (endWall === undefined
        ? undefined
        : Duration.fromMillis(endWall - from.wall)
            .rescale()
            .toISO());
    if (duration === undefined) return 'a recurring event needs DTEND or DURATION';
    const until = props.get(CONVOY_PROPERTIES.until)?.value;
    return { rrule, duration, timezone, start: from.text, ...(until === undefined ? {} : { until }) };
  }
  const schedule: Record<string, string> = { start: from.text };
  if (from.zone !== undefined) schedule.timezone = timezone;
  if (end !== undefined) {
    schedule.end = endInstant === undefined ? end.text : toIso(endInstant);
    return schedule;
  }
  if (durationText === undefined) return 'an event needs DTEND or DURATION to be a freeze window';
  const duration = Duration.fromISO(durationText);
  if (!duration.isValid) return `DURATION "${durationText}" is not an ISO 8601 duration`;
  const wall = wallAdder(duration)(from.wall);
  schedule.end = from.zone === undefined ? toIso(wall) : localIso(wall);
  return schedule;
};

const eventWindow = (props: Props, options: IcsImportOptions, zone: string): unknown => {
  const uid = props.get('UID')?.value ?? '';
  const convoyId = props.get(CONVOY_PROPERTIES.id)?.value;
  const schedule = scheduleOf(props, zone);
  if (typeof schedule === 'string') return schedule;
  const forbid = props.get(CONVOY_PROPERTIES.forbidRollback)?.value.toUpperCase();
  const scope: FreezeScope = {
    ...options.scope,
    ...(list(props, CONVOY_PROPERTIES.environments) === undefined
      ? {}
      : { environments: list(props, CONVOY_PROPERTIES.environments) }),
    ...(list(props, CONVOY_PROPERTIES.namespaces) === undefined
      ? {}
      : { namespaces: list(props, CONVOY_PROPERTIES.namespaces) }),
    ...(list(props, CONVOY_PROPERTIES.teams) === undefined
      ? {}
      : { teams: list(props, CONVOY_PROPERTIES.teams) }),
    ...(list(props, CONVOY_PROPERTIES.changeKinds) === undefined
      ? {}
      : { changeKinds: list(props, CONVOY_PROPERTIES.changeKinds) }),
  };
  const description = props.get('DESCRIPTION')?.value;
  const inFlight = props.get(CONVOY_PROPERTIES.inFlight)?.value;
  return {
    id: convoyId ?? slug(uid),
    name: unescapeText(props.get('SUMMARY')?.value ?? '').trim() || uid || 'Freeze',
    ...(description === undefined ? {} : { description: unescapeText(description) }),
    scope,
    schedule,
    level: props.get(CONVOY_PROPERTIES.level)?.value ?? options.level ?? 'hard',
    ...(list(props, CONVOY_PROPERTIES.allow) === undefined
      ? {}
      : { allow: list(props, CONVOY_PROPERTIES.allow) }),
    ...(forbid === undefined ? {} : { forbidRollback: forbid === 'TRUE' }),
    ...(inFlight === undefined ? {} : { inFlight }),
  };
};

/**
 * Windows from an iCalendar file (e.g. an SSM Change Calendar export): every VEVENT becomes a window,
 * TZID / UTC / floating / all-day times, RRULE + DURATION (or DTEND) as recurring windows, X-CONVOY-*
 * properties for what iCalendar cannot say. An event that cannot become a valid window is left out and
 * its problems reported, with the path `VEVENT[n]` and the window field.
 */
export const parseIcs = (
  text: string,
  options: IcsImportOptions = {},
): { windows: FreezeWindow[]; problems: Problem[] } => {
  const numbered = unfoldNumbered(text);
  const broken = structureProblems(numbered);
  if (broken.length > 0) {
    const located = broken.map(({ line, message }) =>
      problem('freeze.ics-syntax', `line ${line}: ${message}`, { path: `line ${line}` }),
    );
    return { windows: [], problems: located };
  }
  const lines = numbered
    .map(({ text: line }) => parseContentLine(line))
    .filter((line): line is ContentLine => line !== null);
  const calendarZone = lines.find((l) => l.name === 'X-WR-TIMEZONE' && isValidTimeZone(l.value))?.value;
  const zone = options.timezone ?? calendarZone ?? 'UTC';
  const windows: FreezeWindow[] = [];
  const problems: Problem[] = [];
  const ids = new Set<string>();
  const finish = (event: Props, repeated: ReadonlySet<string>, path: string): void => {
    if (repeated.size > 0) {
      const message = `${[...repeated].join(', ')} is given more than once; the event was not imported`;
      problems.push(problem('freeze.ics-repeated', message, { path }));
      return;
    }
    const unsupported = UNSUPPORTED.filter((name) => event.has(name));
    if (unsupported.length > 0) {
      const message = `${unsupported.join(', ')} is not supported; the event was not imported`;
      problems.push(problem('freeze.ics-unsupported', message, { path }));
      return;
    }
    if (event.get('STATUS')?.value.toUpperCase() === 'CANCELLED') return;
    const candidate = eventWindow(event, options, zone);
    if (typeof candidate === 'string') {
      problems.push(problem('freeze.ics-event', candidate, { path }));
      return;
    }
    const result = validateFreezeWindow(candidate);
    if (!result.ok) problems.push(...result.problems.map((p) => ({ ...p, path: `${path}.${p.path}` })));
    else if (ids.has(result.window.id)) {
      problems.push(
        problem('freeze.duplicate-id', `window id "${result.window.id}" is used twice`, {
          path: `${path}.id`,
        }),
      );
    } else {
      ids.add(result.window.id);
      windows.push(result.window);
    }
  };

  let event: Props | undefined;
  const repeated = new Set<string>();
  let depth = 0; // components nested inside the event (VALARM), whose lines are not the event's
  let index = -1;
  for (const line of lines) {
    const component = line.value.trim().toUpperCase();
    if (line.name === 'BEGIN' && component === 'VEVENT') {
      event = new Map();
      repeated.clear();
      depth = 0;
      index += 1;
    } else if (event === undefined) continue;
    else if (line.name === 'BEGIN') depth += 1;
    else if (line.name === 'END' && depth > 0) depth -= 1;
    else if (line.name === 'END' && component === 'VEVENT') {
      finish(event, repeated, `VEVENT[${index}]`);
      event = undefined;
    } else if (depth > 0) continue;
    else if (!event.has(line.name)) event.set(line.name, line);
    else if (READ.has(line.name)) repeated.add(line.name);
  }
  return { windows, problems };
};
