import { DateTime, Duration, IANAZone } from 'luxon';
import { changeBetween, offsetMs } from './zone-offsets.ts';

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

export const isValidTimeZone = (zone: string): boolean => zone.length > 0 && IANAZone.isValidZone(zone);

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
