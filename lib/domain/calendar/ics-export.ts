import { validationFailed } from '../core/errors.ts';
import { problem } from '../core/problem.ts';
import { isRecurring, RECURRENCE_ANCHOR, type FreezeWindow, type Schedule } from '../freeze/freeze-window.ts';
import { parseDateTimeText, parseInstant, resolveStart, wallOfText } from '../freeze/local-time.ts';
import { escapeText, foldLine, formatIcsDateTime, paramValue } from './ics-text.ts';
import { parseRruleText } from '../freeze/rrule-text.ts';

export interface IcsExportOptions {
  calendarName: string;
  /** DTSTAMP of every event (ISO instant or epoch ms); the caller's clock. Default: the Unix epoch. */
  stamp?: string | number;
}

/** `X-CONVOY-*` properties carry what iCalendar has no words for, so an export imports back whole. */
export const CONVOY_PROPERTIES = {
  id: 'X-CONVOY-ID',
  level: 'X-CONVOY-LEVEL',
  environments: 'X-CONVOY-ENVIRONMENTS',
  namespaces: 'X-CONVOY-NAMESPACES',
  teams: 'X-CONVOY-TEAMS',
  changeKinds: 'X-CONVOY-CHANGE-KINDS',
  allow: 'X-CONVOY-ALLOW',
  forbidRollback: 'X-CONVOY-FORBID-ROLLBACK',
  inFlight: 'X-CONVOY-IN-FLIGHT',
  until: 'X-CONVOY-UNTIL',
} as const;

/** Windows reach the export validated; one that is not is a programming error. */
const invalid = (message: string): Error =>
  validationFailed(`window is not valid: ${message}`, [
    problem('freeze.invalid-schedule', message, { path: 'schedule' }),
  ]);

const dateTimeLine = (name: string, text: string, zone: string | undefined): string => {
  const parsed = parseDateTimeText(text);
  if (parsed === null) throw invalid(`"${text}" is not a date-time`);
  if (parsed.kind === 'instant') return `${name}:${formatIcsDateTime(parsed.ms, true)}`;
  if (zone === undefined) throw invalid(`"${text}" is a local date-time without a timezone`);
  return `${name};TZID=${paramValue(zone)}:${formatIcsDateTime(parsed.wall, false)}`;
};

const scheduleLines = (schedule: Schedule): string[] => {
  if (!isRecurring(schedule)) {
    return [
      dateTimeLine('DTSTART', schedule.start, schedule.timezone),
      dateTimeLine('DTEND', schedule.end, schedule.timezone),
    ];
  }
  const zone = schedule.timezone;
  const start = parseDateTimeText(schedule.start ?? RECURRENCE_ANCHOR);
  const parsed = parseRruleText(schedule.rrule);
  if (start === null || 'issues' in parsed) throw invalid('the recurrence is not valid');
  const wall = wallOfText(start, zone);
  const dtstart =
    zone === 'UTC'
      ? `DTSTART:${formatIcsDateTime(wall, true)}`
      : `DTSTART;TZID=${paramValue(zone)}:${formatIcsDateTime(wall, false)}`;
  const rule = schedule.rrule
    .trim()
    .replace(/^RRULE:/i, '')
    .toUpperCase();
  const lines = [dtstart];
  if (schedule.until === undefined) lines.push(`RRULE:${rule}`);
  else {
    const until = parseDateTimeText(schedule.until);
    if (until === null) throw invalid(`"${schedule.until}" is not a date-time`);
    // Subscribers see the bound in the rule itself when the rule has room for it (no COUNT or UNTIL).
    const room = parsed.rule.count === undefined && parsed.rule.until === undefined;
    const bound = formatIcsDateTime(resolveStart(until, zone), true);
    lines.push(room ? `RRULE:${rule};UNTIL=${bound}` : `RRULE:${rule}`);
    lines.push(`${CONVOY_PROPERTIES.until}:${schedule.until}`);
  }
  lines.push(`DURATION:${schedule.duration}`);
  return lines;
};

const eventLines = (window: FreezeWindow, stamp: string): string[] => {
  const { scope } = window;
  const list = (name: string, values: readonly string[] | undefined): string[] =>
    values === undefined ? [] : [`${name}:${values.join(',')}`];
  return [
    'BEGIN:VEVENT',
    `UID:${window.id}@convoy`,
    `DTSTAMP:${stamp}`,
    `SUMMARY:${escapeText(window.name)}`,
    ...(window.description === undefined ? [] : [`DESCRIPTION:${escapeText(window.description)}`]),
    ...scheduleLines(window.schedule),
    'TRANSP:OPAQUE',
    `CATEGORIES:FREEZE,${window.level.toUpperCase()}`,
    `${CONVOY_PROPERTIES.id}:${window.id}`,
    `${CONVOY_PROPERTIES.level}:${window.level}`,
    ...list(CONVOY_PROPERTIES.environments, scope.environments),
    ...list(CONVOY_PROPERTIES.namespaces, scope.namespaces),
    ...list(CONVOY_PROPERTIES.teams, scope.teams),
    ...list(CONVOY_PROPERTIES.changeKinds, scope.changeKinds),
    ...list(CONVOY_PROPERTIES.allow, window.allow),
    ...(window.forbidRollback === undefined
      ? []
      : [`${CONVOY_PROPERTIES.forbidRollback}:${window.forbidRollback ? 'TRUE' : 'FALSE'}`]),
    ...(window.inFlight === undefined ? [] : [`${CONVOY_PROPERTIES.inFlight}:${window.inFlight}`]),
    'END:VEVENT',
  ];
};

/**
 * An iCalendar (RFC 5545) feed of freeze windows, for calendar subscriptions: CRLF line endings, lines
 * folded at 75 octets, TEXT escaped. Recurring windows are an RRULE on a DTSTART in their zone (TZID is
 * the IANA name; subscribers such as Google, Apple and Outlook resolve it without a VTIMEZONE).
 * Windows must be valid (`freezeWindowSchema`).
 */
export const toIcs = (windows: readonly FreezeWindow[], options: IcsExportOptions): string => {
  const stampMs = options.stamp === undefined ? 0 : parseInstant(options.stamp);
  const stamp = formatIcsDateTime(stampMs ?? 0, true);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Convoy//Freeze windows//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(options.calendarName)}`,
    `NAME:${escapeText(options.calendarName)}`,
    ...windows.flatMap((window) => eventLines(window, stamp)),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
};
