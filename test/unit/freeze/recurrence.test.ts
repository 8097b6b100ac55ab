import fc from 'fast-check';
import * as rruleModule from 'rrule';
import { describe, expect, it } from 'vitest';
import { everOccurs, rebase, wallRecurrence } from '#domain/freeze/recurrence.ts';
import { parseRruleText, type RruleText } from '#domain/freeze/rrule-text.ts';

const { RRule } = (rruleModule as unknown as { default: typeof rruleModule }).default;
const DAY = 86_400_000;

const rule = (text: string): RruleText => {
  const parsed = parseRruleText(text);
  if ('issues' in parsed) throw new Error(parsed.issues[0]!.message);
  return parsed.rule;
};

/** The oracle: rrule walking from the real DTSTART, no shortcuts. */
const naive = (text: string, dtstart: number, from: number, to: number): number[] =>
  new RRule({ ...RRule.parseString(rule(text).normalized), dtstart: new Date(dtstart) })
    .between(new Date(from), new Date(to), true)
    .map((d) => d.getTime());

const RULES = [
  'FREQ=DAILY',
  'FREQ=DAILY;INTERVAL=3;BYHOUR=9,17',
  'FREQ=WEEKLY;BYDAY=FR;BYHOUR=16',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH',
  'FREQ=WEEKLY;INTERVAL=3;WKST=SU;BYDAY=SU,SA',
  'FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=12',
  'FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=1,15',
  'FREQ=MONTHLY',
  'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
  'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20',
  'FREQ=YEARLY;INTERVAL=2',
  'FREQ=YEARLY;BYWEEKNO=10;BYDAY=MO',
  'FREQ=YEARLY;BYYEARDAY=100,-1',
  'FREQ=MONTHLY;BYMONTHDAY=31',
  'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29',
];

describe('expanding a recurrence in wall time', () => {
  it('gives the same occurrences as rrule walking from DTSTART, whatever the shortcut (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RULES),
        fc
          .integer({ min: Date.UTC(1998, 0, 1) / 60_000, max: Date.UTC(2026, 0, 1) / 60_000 })
          .map((m) => m * 60_000),
        fc.integer({ min: 0, max: 30 * 365 }),
        fc.integer({ min: 1, max: 120 }),
        (text, dtstart, offsetDays, spanDays) => {
          const from = dtstart + offsetDays * DAY;
          const to = from + spanDays * DAY;
          expect(wallRecurrence(rule(text), dtstart).between(from, to)).toEqual(
            naive(text, dtstart, from, to),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('walks from DTSTART when the rule counts (COUNT counts from the first occurrence)', () => {
    const r = rule('FREQ=DAILY;COUNT=3');
    const dtstart = Date.UTC(2026, 0, 1, 9);
    expect(rebase(r, dtstart, Date.UTC(2027, 0, 1))).toBe(dtstart);
    expect(wallRecurrence(r, dtstart).between(dtstart, dtstart + 10 * DAY)).toEqual(
      [0, 1, 2].map((d) => dtstart + d * DAY),
    );
  });

  it.each([
    ['FREQ=DAILY;INTERVAL=2', Date.UTC(2000, 0, 1, 9), Date.UTC(2026, 0, 1), Date.UTC(2025, 11, 31, 9)],
    ['FREQ=WEEKLY', Date.UTC(2000, 0, 7, 16), Date.UTC(2026, 0, 1), Date.UTC(2025, 11, 26, 16)],
    ['FREQ=MONTHLY;INTERVAL=2', Date.UTC(2000, 0, 15, 8), Date.UTC(2026, 5, 1), Date.UTC(2026, 2, 15, 8)],
    ['FREQ=YEARLY', Date.UTC(2000, 11, 20), Date.UTC(2026, 5, 1), Date.UTC(2025, 11, 20)],
    // days that not every month or year has: no shortcut
    ['FREQ=MONTHLY', Date.UTC(2000, 0, 31), Date.UTC(2026, 5, 1), Date.UTC(2000, 0, 31)],
    ['FREQ=YEARLY', Date.UTC(2000, 1, 29), Date.UTC(2026, 5, 1), Date.UTC(2000, 1, 29)],
    // target before DTSTART, or too close for a whole period
    ['FREQ=DAILY', Date.UTC(2026, 0, 1), Date.UTC(2025, 0, 1), Date.UTC(2026, 0, 1)],
    ['FREQ=MONTHLY', Date.UTC(2026, 0, 15), Date.UTC(2026, 1, 1), Date.UTC(2026, 0, 15)],
    ['FREQ=YEARLY', Date.UTC(2026, 0, 15), Date.UTC(2026, 5, 1), Date.UTC(2026, 0, 15)],
  ])('%s from %d moves DTSTART towards %d, to %d', (text, dtstart, target, expected) => {
    expect(rebase(rule(text), dtstart, target)).toBe(expected);
  });

  it.each([
    ['FREQ=WEEKLY;BYDAY=FR', true],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', true],
    ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', false],
    ['FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31', false],
    ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6', false],
    ['FREQ=DAILY;COUNT=1', true],
  ])('%s ever occurs: %s', (text, expected) => {
    expect(everOccurs(rule(text), Date.UTC(2026, 0, 1))).toBe(expected);
  });

  it('remembers its answers without growing without bound', () => {
    const r = rule('FREQ=WEEKLY;BYDAY=FR');
    for (let day = 0; day < 1001; day += 1)
      expect(everOccurs(r, Date.UTC(2026, 0, 1) + day * DAY)).toBe(true);
    expect(everOccurs(r, Date.UTC(2026, 0, 1))).toBe(true);
  });

  it('a leap-day rule every other year from an odd year never occurs (the 400-year probe keeps the phase)', () => {
    expect(everOccurs(rule('FREQ=YEARLY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=29'), Date.UTC(2025, 0, 1))).toBe(
      false,
    );
    expect(everOccurs(rule('FREQ=YEARLY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=29'), Date.UTC(2024, 0, 1))).toBe(
      true,
    );
  });
});
