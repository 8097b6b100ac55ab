import { validationFailed } from '../core/errors.ts';
import { problem } from '../core/problem.ts';
import { isRecurring, RECURRENCE_ANCHOR, type RecurringSchedule, type Schedule } from './freeze-window.ts';
import {
  DAY_MS,
  endInstant,
  maxSpanMs,
  parseDateTimeText,
  parseDuration,
  wallAdder,
  resolveEnd,
  resolveStart,
  startInstant,
  wallOfText,
  type DateTimeText,
} from './local-time.ts';
import { parseRruleText } from './rrule-text.ts';
import { wallRecurrence } from './recurrence.ts';

/** A half-open interval of instants [start, end), epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

/** The occurrences of one window's schedule. */
export interface OccurrenceSource {
  /** Occurrences intersecting [from, to), ordered by start. Empty occurrences never appear. */
  between(from: number, to: number): Interval[];
}

const CHUNK_MS = 7 * DAY_MS;
const MAX_CACHED_SPAN_MS = 6 * 366 * DAY_MS;
const MAX_STEP_MS = 32 * CHUNK_MS;
/** Offsets lie within ±14 h of UTC, so a wall reading and its instant are never two days apart. */
const SLACK_MS = 2 * DAY_MS;

const invalid = (message: string): Error =>
  validationFailed(`schedule is not valid: ${message}`, [
    problem('freeze.invalid-schedule', message, { path: 'schedule' }),
  ]);

const dateTime = (text: string): DateTimeText => {
  const parsed = parseDateTimeText(text);
  if (parsed === null) throw invalid(`"${text}" is not a date-time`);
  return parsed;
};

const oneOffSource = (start: number, end: number): OccurrenceSource => ({
  between: (from, to) => (start < to && end > from && end > start ? [{ start, end }] : []),
});

/** Index of the first interval whose start is >= value (intervals sorted by start). */
const firstStartAtOrAfter = (items: readonly Interval[], value: number): number => {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((items[mid] as Interval).start < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/**
 * Occurrences of a recurring schedule. Each occurrence starts when the zone's clock first reads the
 * rule's local start and ends when, after that, the clock first reads start + duration (the duration
 * is added on the calendar face: Friday 16:00 + P2DT16H is Monday 08:00, whatever DST did in between).
 * See local-time.ts for readings the clock skips or repeats.
 *
 * Expanded occurrences are cached over a contiguous range of whole weeks that grows as lookups move,
 * so repeated lookups near one another cost a binary search.
 */
const recurringSource = (schedule: RecurringSchedule): OccurrenceSource => {
  const zone = schedule.timezone;
  const parsed = parseRruleText(schedule.rrule);
  const duration = parseDuration(schedule.duration);
  if ('issues' in parsed) throw invalid(parsed.issues.map((i) => i.message).join('; '));
  if (duration === null) throw invalid(`"${schedule.duration}" is not a duration`);
  const start = dateTime(schedule.start ?? RECURRENCE_ANCHOR);
  const recurrence = wallRecurrence(parsed.rule, wallOfText(start, zone));
  const span = maxSpanMs(duration) + SLACK_MS;
  const addDuration = wallAdder(duration);
  const { until } = parsed.rule;
  const untilWall = until !== undefined && !until.utc ? until.wall : Infinity;
  const untilInstant = Math.min(
    until?.utc === true ? until.wall : Infinity,
    schedule.until === undefined ? Infinity : resolveStart(dateTime(schedule.until), zone),
  );

  const expand = (from: number, to: number): Interval[] => {
    const out: Interval[] = [];
    for (const wall of recurrence.between(from - span, to + SLACK_MS)) {
      if (wall > untilWall) break;
      const begin = startInstant(wall, zone);
      if (begin > untilInstant || begin >= to) break;
      const end = endInstant(addDuration(wall), zone, begin);
      if (end > from && end > begin) out.push({ start: begin, end });
    }
    return out;
  };

  let cache: { from: number; to: number; items: Interval[] } | undefined;
  const ensure = (from: number, to: number): Interval[] => {
    if (cache !== undefined && from >= cache.from && to <= cache.to) return cache.items;
    const lo = Math.floor(from / CHUNK_MS) * CHUNK_MS;
    const current = cache;
    // Growing forward, grow geometrically: a sweep that walks ahead week by week expands each part once.
    const ahead = current === undefined || to <= current.to ? 0 : current.to - current.from;
    const hi = Math.ceil(Math.max(to, Math.min(to + ahead, to + MAX_STEP_MS)) / CHUNK_MS) * CHUNK_MS;
    if (current === undefined || Math.max(hi, current.to) - Math.min(lo, current.from) > MAX_CACHED_SPAN_MS) {
      cache = { from: lo, to: hi, items: expand(lo, hi) };
      return cache.items;
    }
    // Occurrences crossing the old edges are already cached; TimSort merges the three sorted runs.
    const items = [
      ...(lo < current.from ? expand(lo, current.from).filter((o) => o.end <= current.from) : []),
      ...current.items,
      ...(hi > current.to ? expand(current.to, hi).filter((o) => o.start >= current.to) : []),
    ].sort((a, b) => a.start - b.start);
    cache = { from: Math.min(lo, current.from), to: Math.max(hi, current.to), items };
    return items;
  };

  return {
    between(from, to) {
      const items = ensure(from, to);
      const out: Interval[] = [];
      for (let i = firstStartAtOrAfter(items, to) - 1; i >= 0; i -= 1) {
        const item = items[i] as Interval;
        if (item.start <= from - span) break;
        if (item.end > from) out.push(item);
      }
      return out.reverse();
    },
  };
};

/**
 * The occurrences of a validated schedule. An invalid schedule is a programming error here (windows
 * are validated with `freezeWindowSchema` when they enter the system) and throws.
 */
export const occurrenceSource = (schedule: Schedule): OccurrenceSource => {
  if (isRecurring(schedule)) return recurringSource(schedule);
  const zone = schedule.timezone ?? 'UTC';
  const start = resolveStart(dateTime(schedule.start), zone);
  return oneOffSource(start, resolveEnd(dateTime(schedule.end), zone, start));
};

/** Occurrences of a schedule intersecting [from, to), as ISO instants. */
export const occurrencesBetween = (
  schedule: Schedule,
  from: number,
  to: number,
): Array<{ start: string; end: string }> =>
  occurrenceSource(schedule)
    .between(from, to)
    .map((o) => ({ start: new Date(o.start).toISOString(), end: new Date(o.end).toISOString() }));
