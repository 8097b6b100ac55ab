import { IANAZone } from 'luxon';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MAX_DAYS_PER_ZONE = 200_000;

/**
 * A memo of luxon's answers to "what is the UTC offset of this zone at this instant?". luxon asks
 * Intl for every call, which costs microseconds; expanding a year of daily windows asks thousands of
 * times. Here each zone is asked once per UTC day boundary; a day whose two boundaries differ holds one
 * transition, located by bisection, again by asking luxon. Nothing is computed from DST rules: every
 * number comes from the IANA database through luxon.
 *
 * Assumption (shared with luxon's own `getPossibleOffsets`): a zone changes its offset at most once
 * within a day. The tests compare this memo with luxon at random instants in several zones.
 */
interface ZoneMemo {
  iana: IANAZone;
  /** Offset (minutes) at the start of UTC day n. */
  dayStart: Map<number, number>;
  /** Instant of the transition within UTC day n, or NaN when the day has none. */
  transition: Map<number, number>;
}

const memos = new Map<string, ZoneMemo>();

const memoOf = (zone: string): ZoneMemo => {
  let memo = memos.get(zone);
  if (memo === undefined || memo.dayStart.size > MAX_DAYS_PER_ZONE) {
    memo = { iana: IANAZone.create(zone), dayStart: new Map(), transition: new Map() };
    memos.set(zone, memo);
  }
  return memo;
};

const startOffset = (memo: ZoneMemo, day: number): number => {
  let offset = memo.dayStart.get(day);
  if (offset === undefined) {
    offset = memo.iana.offset(day * DAY_MS);
    memo.dayStart.set(day, offset);
  }
  return offset;
};

const transitionIn = (memo: ZoneMemo, day: number, before: number): number => {
  let at = memo.transition.get(day);
  if (at === undefined) {
    let lo = day * DAY_MS;
    let hi = lo + DAY_MS;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (memo.iana.offset(mid) === before) lo = mid;
      else hi = mid;
    }
    at = hi;
    memo.transition.set(day, at);
  }
  return at;
};

/** The zone's offset from UTC, in minutes, at `instant` (epoch ms). */
export const offsetAt = (zone: string, instant: number): number => {
  const memo = memoOf(zone);
  const day = Math.floor(instant / DAY_MS);
  const before = startOffset(memo, day);
  const after = startOffset(memo, day + 1);
  if (before === after) return before;
  return instant < transitionIn(memo, day, before) ? before : after;
};

/** The first instant at or after `instant` whose offset is the one in force at `until`. */
export const changeBetween = (zone: string, instant: number, until: number): number => {
  const target = offsetAt(zone, until);
  let lo = instant - 1;
  let hi = until;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(zone, mid) === target) hi = mid;
    else lo = mid;
  }
  return hi;
};

export const offsetMs = (zone: string, instant: number): number => offsetAt(zone, instant) * MINUTE_MS;
