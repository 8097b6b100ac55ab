/**
 * Strict reading of an RFC 5545 RRULE value ("FREQ=WEEKLY;BYDAY=FR;BYHOUR=16"). The rrule library is
 * lenient (it accepts BYHOUR=25 or BYDAY=XX and silently misbehaves), so every part is checked here
 * first, and every problem is reported at once.
 */
export interface RruleText {
  /** The rule without UNTIL, upper-cased, ready for the rrule library. */
  normalized: string;
  freq: 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
  interval: number;
  count?: number;
  /** UNTIL as written: a UTC instant (`Z`) or a floating local reading (`YYYYMMDD[THHMMSS]`). */
  until?: { utc: boolean; wall: number };
}

export type RruleIssue = { code: 'freeze.bad-rrule' | 'freeze.rrule-too-frequent'; message: string };

const FREQS = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
const TOO_FREQUENT = ['SECONDLY', 'MINUTELY', 'HOURLY'];
const DAY = '(?:MO|TU|WE|TH|FR|SA|SU)';
const NUMBER_PARTS: Record<string, readonly [number, number, boolean]> = {
  // [min, max, negatives allowed]
  INTERVAL: [1, 1000, false],
  COUNT: [1, 10_000, false],
  BYSECOND: [0, 59, false],
  BYMINUTE: [0, 59, false],
  BYHOUR: [0, 23, false],
  BYMONTHDAY: [1, 31, true],
  BYYEARDAY: [1, 366, true],
  BYWEEKNO: [1, 53, true],
  BYMONTH: [1, 12, false],
  BYSETPOS: [1, 366, true],
};
const SINGLE = new Set(['INTERVAL', 'COUNT']);

const checkNumbers = (name: string, value: string, issues: string[]): void => {
  const [min, max, signed] = NUMBER_PARTS[name] as readonly [number, number, boolean];
  const items = value.split(',');
  if (SINGLE.has(name) && items.length > 1) issues.push(`${name} takes one number`);
  for (const item of items) {
    const n = /^[+-]?\d{1,5}$/.test(item) ? Number(item) : Number.NaN;
    const magnitude = Math.abs(n);
    if (Number.isNaN(n) || magnitude < min || magnitude > max || (n < 0 && !signed) || (n === 0 && min > 0)) {
      issues.push(`${name}=${item} is out of range (${signed ? '±' : ''}${min}..${max})`);
    }
  }
};

const parseUntil = (value: string): { utc: boolean; wall: number } | null => {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, z] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) return null;
  if (h === undefined) return { utc: false, wall: date.getTime() + 86_399_000 }; // a date: through its last second
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  return {
    utc: z !== undefined,
    wall: date.getTime() + (Number(h) * 3600 + Number(mi) * 60 + Number(s)) * 1000,
  };
};

export const parseRruleText = (input: string): { rule: RruleText } | { issues: RruleIssue[] } => {
  const text = input.trim().replace(/^RRULE:/i, '');
  const issues: string[] = [];
  const parts = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).toUpperCase();
    const value = part.slice(eq + 1).toUpperCase();
    if (eq <= 0 || value === '') issues.push(`"${part}" is not NAME=VALUE`);
    else if (parts.has(name)) issues.push(`${name} appears twice`);
    else parts.set(name, value);
  }
  const freq = parts.get('FREQ');
  if (freq !== undefined && TOO_FREQUENT.includes(freq)) {
    return {
      issues: [
        {
          code: 'freeze.rrule-too-frequent',
          message: `FREQ=${freq} is too frequent for a freeze window; use FREQ=DAILY with BYHOUR for several a day`,
        },
      ],
    };
  }
  if (freq === undefined) issues.push('FREQ is required (DAILY, WEEKLY, MONTHLY or YEARLY)');
  else if (!(FREQS as readonly string[]).includes(freq)) issues.push(`FREQ=${freq} is not a frequency`);
  let until: RruleText['until'];
  for (const [name, value] of parts) {
    if (name === 'FREQ') continue;
    if (name in NUMBER_PARTS) checkNumbers(name, value, issues);
    else if (name === 'BYDAY') {
      const nth = new RegExp(`^[+-]?([1-9]|[1-4]\\d|5[0-3])${DAY}$`);
      for (const item of value.split(',')) {
        const plain = new RegExp(`^${DAY}$`).test(item);
        if (!plain && !nth.test(item)) issues.push(`BYDAY=${item} is not a day such as FR or -1FR`);
        else if (!plain && freq !== 'MONTHLY' && freq !== 'YEARLY') {
          issues.push(`BYDAY=${item}: a numbered day needs FREQ=MONTHLY or FREQ=YEARLY`);
        }
      }
    } else if (name === 'WKST') {
      if (!new RegExp(`^${DAY}$`).test(value)) issues.push(`WKST=${value} is not a day`);
    } else if (name === 'UNTIL') {
      until = parseUntil(value) ?? undefined;
      if (until === undefined) issues.push(`UNTIL=${value} is not YYYYMMDD or YYYYMMDDTHHMMSSZ`);
    } else if (name === 'DTSTART' || name === 'TZID') {
      issues.push(`${name} does not belong in the rule; use schedule.start and schedule.timezone`);
    } else issues.push(`${name} is not a recurrence part Convoy understands`);
  }
  if (parts.has('COUNT') && parts.has('UNTIL')) issues.push('COUNT and UNTIL cannot both be given');
  if (parts.has('BYWEEKNO') && freq !== 'YEARLY') issues.push('BYWEEKNO needs FREQ=YEARLY');
  if (parts.has('BYYEARDAY') && freq !== 'YEARLY') issues.push('BYYEARDAY needs FREQ=YEARLY');
  if (parts.has('BYMONTHDAY') && freq === 'WEEKLY') issues.push('BYMONTHDAY cannot be used with FREQ=WEEKLY');
  if (parts.has('BYSETPOS') && ![...parts.keys()].some((k) => k.startsWith('BY') && k !== 'BYSETPOS')) {
    issues.push('BYSETPOS needs another BY... part to select from');
  }
  if (issues.length > 0) return { issues: issues.map((message) => ({ code: 'freeze.bad-rrule', message })) };
  const normalized = [...parts]
    .filter(([name]) => name !== 'UNTIL')
    .map(([name, value]) => `${name}=${value}`)
    .join(';');
  const count = parts.get('COUNT');
  return {
    rule: {
      normalized,
      freq: freq as RruleText['freq'],
      interval: Number(parts.get('INTERVAL') ?? 1),
      ...(count === undefined ? {} : { count: Number(count) }),
      ...(until === undefined ? {} : { until }),
    },
  };
};
