import { DateTime, Duration, IANAZone } from 'luxon';
import { changeBetween, offsetMs } from './zone-offsets.ts';

/**
 * How freeze windows read the clock: the DST rule, decided here once and pinned by the "DST" tests in
 * test/unit/freeze/freeze-status.test.ts (New York and Berlin, spring-forward and fall-back days).
 *
 * A window written in local time holds from the first time the zone's clock shows its start until the
 * first time, after that, the clock shows its end: what a person expects of a calendar entry
 * "01:30-02:30" while watching the clock on the wall.
 * - Spring forward (02:00 jumps to 03:00): 02:30 never shows. The clock passes it at the jump, so a
 *   window ending 02:30 ends at 03:00 local (30 real minutes), and one starting 02:30 starts at 03:00.
 *   (luxon alone would move 02:30 to 03:30, an hour after the clock passed it.) A window entirely
 *   inside the skipped hour is empty and does not happen that day.
 * - Fall back (New York 02:00 to 01:00, Berlin 03:00 to 02:00): a repeated reading counts at its first
 *   showing. 01:30-02:30 in New York runs 01:30 EDT to 02:30 EST (two real hours, the repeated hour
 *   inside); in Berlin, where 02:30 itself repeats, 01:30 CEST to the first 02:30 (one real hour).
 * - A recurring window's duration is added on the clock face: Friday 16:00 + P2DT16H ends Monday 08:00
 *   local whatever DST did over the weekend (63 or 65 real hours on those weekends).
 */

/**
 * Wall time: a reading of a local clock and calendar ("2026-03-08 01:30"), encoded as the epoch
 * milliseconds the same reading has in UTC. Wall times are only compared and added to each other; they
 * become instants through `startInstant` / `endInstant`, which ask luxon (the IANA database) what the
 * clock in a zone showed. Nothing here knows an offset by heart.
 */
export type WallTime = number;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?$/;
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

const zoneValidity = new Map<string, boolean>();

/** Is `zone` an IANA time zone? (luxon builds an Intl formatter to find out, so answers are remembered.) */
export const isValidTimeZone = (zone: string): boolean => {
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = zone.length > 0 && IANAZone.isValidZone(zone);
    if (zoneValidity.size >= 1000) zoneValidity.clear();
    zoneValidity.set(zone, valid);
  }
  return valid;
};

/** A date-time as written in a window: an instant (with `Z` or an offset) or a local reading. */
export type DateTimeText = { kind: 'instant'; ms: number } | { kind: 'local'; wall: WallTime };

export const parseDateTimeText = (text: string): DateTimeText | null => {
  if (ZONED.test(text)) {
    const dt = DateTime.fromISO(text, { setZone: true });
    return dt.isValid ? { kind: 'instant', ms: dt.toMillis() } : null;
  }
  if (LOCAL.test(text)) {
    const dt = DateTime.fromISO(text, { zone: 'utc' });
    return dt.isValid ? { kind: 'local', wall: dt.toMillis() } : null;
  }
  return null;
};

/** An instant given as epoch milliseconds or as ISO 8601 with `Z` or an offset; null otherwise. */
export const parseInstant = (value: string | number): number | null => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const parsed = parseDateTimeText(value);
  return parsed?.kind === 'instant' ? parsed.ms : null;
};

export const toIso = (ms: number): string => new Date(ms).toISOString();

/** What the clock in `zone` read at `instant`. */
export const wallOf = (instant: number, zone: string): WallTime => instant + offsetMs(zone, instant);

/** Wall time of a date-time text in `zone` (an instant is converted to the zone's reading). */
export const wallOfText = (text: DateTimeText, zone: string): WallTime =>
  text.kind === 'local' ? text.wall : wallOf(text.ms, zone);

/**
 * Every instant at which the clock in `zone` reads `wall`, earliest first. A reading repeated by a
 * fall-back change has two; a reading skipped by a spring-forward change has none, and we answer with
 * the instant the clock jumps past it (so a boundary at 02:30 on that day is reached at 03:00 local).
 * The offsets in force a day before and a day after are the only candidates (as in luxon).
 */
export const instantsOf = (wall: WallTime, zone: string): number[] => {
  const early = offsetMs(zone, wall - DAY_MS);
  const late = offsetMs(zone, wall + DAY_MS);
  const candidates = (early === late ? [wall - early] : [wall - early, wall - late])
    .filter((instant) => wallOf(instant, zone) === wall)
    .sort((x, y) => x - y);
  return candidates.length > 0 ? candidates : [changeBetween(zone, wall - late, wall - early)];
};

/** A window starts the first time the clock reads its start (an ambiguous reading: its first occurrence). */
export const startInstant = (wall: WallTime, zone: string): number => instantsOf(wall, zone)[0] as number;

/**
 * A window ends the first time, after it started, that the clock reads its end. Only when no such
 * instant exists (the end reading came earlier) is the last candidate returned, giving an empty or
 * inverted interval that callers reject.
 */
export const endInstant = (wall: WallTime, zone: string, start: number): number => {
  const candidates = instantsOf(wall, zone);
  return candidates.find((c) => c > start) ?? (candidates[candidates.length - 1] as number);
};

/** Resolve a date-time text to an instant: instants stand, local readings are read in `zone`. */
export const resolveStart = (text: DateTimeText, zone: string): number =>
  text.kind === 'instant' ? text.ms : startInstant(text.wall, zone);
export const resolveEnd = (text: DateTimeText, zone: string, start: number): number =>
  text.kind === 'instant' ? text.ms : endInstant(text.wall, zone, start);

/** An ISO 8601 duration with no negative part; null when malformed. */
export const parseDuration = (text: string): Duration | null => {
  if (!/^P(?!$)(\d+(?:[.,]\d+)?[YMWD])*(T(?=\d)(\d+(?:[.,]\d+)?[HMS])+)?$/.test(text)) return null;
  const duration = Duration.fromISO(text);
  return duration.isValid ? duration : null;
};

export const isPositiveDuration = (duration: Duration): boolean =>
  Object.values(duration.toObject()).some((value) => value > 0);

/**
 * Add a duration to a wall time as a calendar does, on the clock face: Friday 16:00 + P2DT16H is Monday
 * 08:00. Wall time has no DST, so only years and months need the calendar (luxon); the rest is fixed.
 */
export const wallAdder = (duration: Duration): ((wall: WallTime) => WallTime) => {
  const { years, months } = duration.toObject();
  if ((years ?? 0) === 0 && (months ?? 0) === 0) {
    const ms = duration.as('milliseconds');
    return (wall) => wall + ms;
  }
  return (wall) => DateTime.fromMillis(wall, { zone: 'utc' }).plus(duration).toMillis();
};

/** An upper bound of how much wall time a duration can span (months as 31 days, years as 366). */
export const maxSpanMs = (duration: Duration): number => {
  const d = duration.toObject();
  const n = (v: number | undefined): number => v ?? 0;
  return (
    (n(d.years) * 366 + n(d.months) * 31 + n(d.weeks) * 7 + n(d.days)) * DAY_MS +
    n(d.hours) * HOUR_MS +
    n(d.minutes) * MINUTE_MS +
    n(d.seconds) * 1000 +
    n(d.milliseconds)
  );
};
