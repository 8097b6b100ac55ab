import * as rruleModule from 'rrule';
import type { RruleText } from './rrule-text.ts';
import { DAY_MS, type WallTime } from './local-time.ts';

// rrule ships a CommonJS main and an ES module; under Node and under Vite both expose it as `default`.
const { RRule } = (rruleModule as unknown as { default: typeof rruleModule }).default;
type RRuleOptions = ReturnType<typeof RRule.parseString>;

const WEEK_MS = 7 * DAY_MS;

/**
 * A recurrence expanded in wall time. The rrule library runs "floating": DTSTART is the local reading
 * in the window's zone encoded as UTC, so every occurrence it returns is a local reading too (Friday
 * 16:00 stays Friday 16:00 all year); instants are found later, one occurrence at a time, through the
 * zone. This keeps rrule's own zone handling (which rezones through the host's zone) out of the way.
 */
export interface WallRecurrence {
  readonly rule: RruleText;
  readonly dtstart: WallTime;
  /** Occurrence starts (wall) in [from, to], ascending. */
  between(from: WallTime, to: WallTime): WallTime[];
}

const utcParts = (ms: number): [number, number, number, number] => {
  const d = new Date(ms);
  return [
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    ms - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()),
  ];
};

/**
 * rrule walks from DTSTART period by period, so a rule anchored in 2000 costs 26 years of iterations
 * per lookup. Moving DTSTART forward by whole multiples of (INTERVAL × period) keeps every later
 * occurrence identical — same weekday, same day of month, same week parity — so lookups start close to
 * where they look. Not done with COUNT (it counts from the original DTSTART) or when the day of month
 * would not exist in every month or year (the 29th to the 31st, which includes 29 February).
 */
export const rebase = (rule: RruleText, dtstart: WallTime, target: WallTime): WallTime => {
  if (rule.count !== undefined || target <= dtstart) return dtstart;
  const { freq, interval } = rule;
  if (freq === 'DAILY' || freq === 'WEEKLY') {
    const step = (freq === 'DAILY' ? DAY_MS : WEEK_MS) * interval;
    return dtstart + Math.floor((target - dtstart) / step) * step;
  }
  const [y, m, d, time] = utcParts(dtstart);
  const [ty, tm] = utcParts(target);
  if (d > 28) return dtstart;
  if (freq === 'MONTHLY') {
    const months = Math.floor(((ty - y) * 12 + (tm - m)) / interval) * interval - interval;
    return months > 0 ? Date.UTC(y, m + months, d) + time : dtstart;
  }
  const years = Math.floor((ty - y) / interval) * interval - interval;
  return years > 0 ? Date.UTC(y + years, m, d) + time : dtstart;
};

const build = (options: RRuleOptions, dtstart: WallTime): InstanceType<typeof RRule> =>
  new RRule({ ...options, dtstart: new Date(dtstart) });

export const wallRecurrence = (rule: RruleText, dtstart: WallTime): WallRecurrence => {
  const options = RRule.parseString(rule.normalized);
  const full = rule.count === undefined ? undefined : build(options, dtstart);
  return {
    rule,
    dtstart,
    between(from, to) {
      const rrule = full ?? build(options, rebase(rule, dtstart, from));
      return rrule.between(new Date(from), new Date(to), true).map((d) => d.getTime());
    },
  };
};

const GREGORIAN_CYCLE_YEARS = 400;
const PROBE_YEARS = 40;

const occurs = new Map<string, boolean>();

/**
 * Whether the rule ever produces an occurrence. rrule keeps iterating to the year 9999 when a rule can
 * never match (BYMONTH=2;BYMONTHDAY=30), which takes seconds; the Gregorian calendar repeats every 400
 * years, weekdays included, so the same DTSTART moved into the last decades before 9999 answers the
 * question in a few thousand iterations. Answers are remembered: calendars repeat their rules.
 */
export const everOccurs = (rule: RruleText, dtstart: WallTime): boolean => {
  const key = `${rule.normalized}@${dtstart}`;
  let answer = occurs.get(key);
  if (answer === undefined) {
    const options = RRule.parseString(rule.normalized);
    delete options.count;
    const [y, m, d, time] = utcParts(dtstart);
    const cycles = Math.floor((9999 - PROBE_YEARS - y) / GREGORIAN_CYCLE_YEARS);
    const probe = Date.UTC(y + cycles * GREGORIAN_CYCLE_YEARS, m, d) + time;
    answer = build(options, probe).after(new Date(probe), true) !== null;
    if (occurs.size >= 1000) occurs.clear();
    occurs.set(key, answer);
  }
  return answer;
};
