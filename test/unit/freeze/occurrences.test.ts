import { describe, expect, it } from 'vitest';
import { ConvoyError } from '#domain/core/errors.ts';
import type { Schedule } from '#domain/freeze/freeze-window.ts';
import { occurrenceSource, occurrencesBetween } from '#domain/freeze/occurrences.ts';

const t = (iso: string): number => Date.parse(iso);
const DAY = 86_400_000;

describe('occurrences of a schedule', () => {
  it('a one-off window is one occurrence, found by any range it meets', () => {
    const once: Schedule = { start: '2026-12-20T00:00', end: '2027-01-05T00:00', timezone: 'Europe/Berlin' };
    expect(occurrencesBetween(once, t('2026-12-31T00:00:00Z'), t('2026-12-31T00:00:01Z'))).toEqual([
      { start: '2026-12-19T23:00:00.000Z', end: '2027-01-04T23:00:00.000Z' },
    ]);
    expect(occurrencesBetween(once, t('2027-01-04T23:00:00Z'), t('2027-02-01T00:00:00Z'))).toEqual([]);
    expect(occurrencesBetween(once, t('2026-12-01T00:00:00Z'), t('2026-12-19T23:00:00Z'))).toEqual([]);
  });

  it('a one-off window written with offsets needs no zone', () => {
    const once: Schedule = { start: '2026-12-20T00:00:00+01:00', end: '2026-12-21T00:00:00Z' };
    expect(occurrencesBetween(once, 0, t('2030-01-01T00:00:00Z'))).toEqual([
      { start: '2026-12-19T23:00:00.000Z', end: '2026-12-21T00:00:00.000Z' },
    ]);
  });

  it('a recurring window keeps its local time across DST (Friday 16:00 New York)', () => {
    const weekly: Schedule = {
      rrule: 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=16',
      duration: 'PT2H',
      timezone: 'America/New_York',
    };
    expect(
      occurrencesBetween(weekly, t('2026-02-27T00:00:00Z'), t('2026-03-14T00:00:00Z')).map((o) => o.start),
    ).toEqual(['2026-02-27T21:00:00.000Z', '2026-03-06T21:00:00.000Z', '2026-03-13T20:00:00.000Z']);
  });

  it('includes an occurrence that started before the range and is still running', () => {
    const yearly: Schedule = {
      rrule: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20',
      duration: 'P16D',
      timezone: 'UTC',
    };
    expect(occurrencesBetween(yearly, t('2027-01-04T00:00:00Z'), t('2027-01-04T00:00:01Z'))).toEqual([
      { start: '2026-12-20T00:00:00.000Z', end: '2027-01-05T00:00:00.000Z' },
    ]);
  });

  it('a start given as an instant anchors the rule at that reading of the zone clock', () => {
    const daily: Schedule = {
      rrule: 'FREQ=DAILY',
      duration: 'PT1H',
      timezone: 'Europe/Berlin',
      start: '2026-06-01T20:00:00Z',
    };
    expect(
      occurrencesBetween(daily, t('2026-05-01T00:00:00Z'), t('2026-06-03T00:00:00Z')).map((o) => o.start),
    ).toEqual(['2026-06-01T20:00:00.000Z', '2026-06-02T20:00:00.000Z']);
  });

  it.each([
    [
      'COUNT',
      { rrule: 'FREQ=DAILY;COUNT=2', start: '2026-06-01T09:00' },
      ['2026-06-01T09:00:00.000Z', '2026-06-02T09:00:00.000Z'],
    ],
    [
      'a UTC UNTIL',
      { rrule: 'FREQ=DAILY;UNTIL=20260602T090000Z', start: '2026-06-01T09:00' },
      ['2026-06-01T09:00:00.000Z', '2026-06-02T09:00:00.000Z'],
    ],
    [
      'a floating UNTIL',
      { rrule: 'FREQ=DAILY;UNTIL=20260602T085959', start: '2026-06-01T09:00' },
      ['2026-06-01T09:00:00.000Z'],
    ],
    [
      'schedule.until',
      { rrule: 'FREQ=DAILY', start: '2026-06-01T09:00', until: '2026-06-03T08:00' },
      ['2026-06-01T09:00:00.000Z', '2026-06-02T09:00:00.000Z'],
    ],
  ])('%s bounds the occurrences', (_, schedule, starts) => {
    const full = { duration: 'PT1H', timezone: 'UTC', ...schedule } as Schedule;
    expect(
      occurrencesBetween(full, t('2026-05-01T00:00:00Z'), t('2026-07-01T00:00:00Z')).map((o) => o.start),
    ).toEqual(starts);
    expect(occurrencesBetween(full, t('2027-05-01T00:00:00Z'), t('2027-07-01T00:00:00Z'))).toEqual([]);
  });

  it('a monthly duration is added on the calendar', () => {
    const monthly: Schedule = {
      rrule: 'FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=31',
      duration: 'P1M',
      timezone: 'UTC',
    };
    expect(occurrencesBetween(monthly, t('2026-02-01T00:00:00Z'), t('2026-02-02T00:00:00Z'))).toEqual([
      { start: '2026-01-31T00:00:00.000Z', end: '2026-02-28T00:00:00.000Z' },
    ]);
  });

  it('drops occurrences the clock skips entirely (02:10-02:40 on spring-forward day)', () => {
    const nightly: Schedule = {
      rrule: 'FREQ=DAILY;BYHOUR=2;BYMINUTE=10',
      duration: 'PT30M',
      timezone: 'America/New_York',
    };
    expect(
      occurrencesBetween(nightly, t('2026-03-07T00:00:00Z'), t('2026-03-10T00:00:00Z')).map((o) => o.start),
    ).toEqual(['2026-03-07T07:10:00.000Z', '2026-03-09T06:10:00.000Z']);
  });

  it('answers the same whichever order the ranges are asked in (cache grows both ways, starts over far away)', () => {
    const schedule: Schedule = { rrule: 'FREQ=DAILY;BYHOUR=22', duration: 'PT8H', timezone: 'Asia/Kolkata' };
    const source = occurrenceSource(schedule);
    // each range meets the evening occurrence of the day before (16:30Z-00:30Z) and its own days'
    const ranges: Array<[number, number, number]> = [
      [t('2026-06-01T00:00:00Z'), t('2026-06-02T00:00:00Z'), 2],
      [t('2026-05-01T00:00:00Z'), t('2026-05-03T00:00:00Z'), 3],
      [t('2026-07-15T00:00:00Z'), t('2026-07-16T00:00:00Z'), 2],
      [t('2034-01-01T00:00:00Z'), t('2034-01-02T00:00:00Z'), 2],
      [t('2026-06-01T00:00:00Z'), t('2026-06-02T00:00:00Z'), 2],
    ];
    for (const [from, to, count] of ranges) {
      expect(source.between(from, to)).toEqual(occurrenceSource(schedule).between(from, to));
      expect(source.between(from, to)).toHaveLength(count);
    }
    expect(source.between(t('2026-05-01T00:00:00Z'), t('2026-05-01T00:00:00Z') + 30 * DAY)).toHaveLength(31);
  });

  it.each([
    ['a bad rrule', { rrule: 'FREQ=HOURLY', duration: 'PT1H', timezone: 'UTC' }],
    ['a bad duration', { rrule: 'FREQ=DAILY', duration: '1h', timezone: 'UTC' }],
    ['a bad start', { rrule: 'FREQ=DAILY', duration: 'PT1H', timezone: 'UTC', start: 'soon' }],
    ['a bad one-off end', { start: '2026-01-01T00:00Z', end: 'later' }],
  ])('%s is a programming error here (schedules are validated on the way in)', (_, schedule) => {
    expect(() => occurrenceSource(schedule as Schedule)).toThrow(ConvoyError);
  });
});
