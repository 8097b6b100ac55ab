import { describe, expect, it } from 'vitest';
import { parseRruleText } from '#domain/freeze/rrule-text.ts';

const ok = (text: string) => {
  const parsed = parseRruleText(text);
  if ('issues' in parsed) throw new Error(parsed.issues.map((i) => i.message).join('; '));
  return parsed.rule;
};
const issues = (text: string): string[] => {
  const parsed = parseRruleText(text);
  return 'issues' in parsed ? parsed.issues.map((i) => `${i.code}: ${i.message}`) : [];
};

describe('reading an RRULE', () => {
  it.each([
    [
      'FREQ=WEEKLY;BYDAY=FR;BYHOUR=16',
      { normalized: 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=16', freq: 'WEEKLY', interval: 1 },
    ],
    ['RRULE:freq=daily;interval=2', { normalized: 'FREQ=DAILY;INTERVAL=2', freq: 'DAILY', interval: 2 }],
    [
      'FREQ=MONTHLY;BYDAY=-1FR;COUNT=3',
      { normalized: 'FREQ=MONTHLY;BYDAY=-1FR;COUNT=3', freq: 'MONTHLY', interval: 1, count: 3 },
    ],
    [
      'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20;UNTIL=20301231T000000Z',
      {
        normalized: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20',
        freq: 'YEARLY',
        interval: 1,
        until: { utc: true, wall: Date.UTC(2030, 11, 31) },
      },
    ],
    [
      'FREQ=DAILY;UNTIL=20301231T120000',
      {
        normalized: 'FREQ=DAILY',
        freq: 'DAILY',
        interval: 1,
        until: { utc: false, wall: Date.UTC(2030, 11, 31, 12) },
      },
    ],
    // a date UNTIL covers that whole day
    [
      'FREQ=DAILY;UNTIL=20301231',
      {
        normalized: 'FREQ=DAILY',
        freq: 'DAILY',
        interval: 1,
        until: { utc: false, wall: Date.UTC(2030, 11, 31, 23, 59, 59) },
      },
    ],
    [
      'FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=MO;WKST=SU;BYSETPOS=1;BYYEARDAY=1,-366;BYMINUTE=0,30;BYSECOND=0',
      {
        normalized:
          'FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=MO;WKST=SU;BYSETPOS=1;BYYEARDAY=1,-366;BYMINUTE=0,30;BYSECOND=0',
        freq: 'YEARLY',
        interval: 1,
      },
    ],
  ])('%s is read as %o', (text, expected) => {
    expect(ok(text)).toEqual(expected);
  });

  it.each([
    ['FREQ=HOURLY', 'freeze.rrule-too-frequent'],
    ['FREQ=MINUTELY;BYHOUR=1', 'freeze.rrule-too-frequent'],
    ['FREQ=SECONDLY', 'freeze.rrule-too-frequent'],
  ])('%s is refused as %s: freeze windows recur at most daily', (text, code) => {
    expect(issues(text)[0]).toMatch(code);
  });

  it.each([
    ['BYDAY=MO', 'FREQ is required'],
    ['FREQ=FORTNIGHTLY', 'FREQ=FORTNIGHTLY is not a frequency'],
    ['FREQ=DAILY;BYHOUR=25', 'BYHOUR=25 is out of range'],
    ['FREQ=DAILY;BYHOUR=-1', 'BYHOUR=-1 is out of range'],
    ['FREQ=DAILY;BYHOUR=x', 'BYHOUR=X is out of range'],
    ['FREQ=DAILY;INTERVAL=0', 'INTERVAL=0 is out of range'],
    ['FREQ=DAILY;INTERVAL=1,2', 'INTERVAL takes one number'],
    ['FREQ=MONTHLY;BYMONTHDAY=0', 'BYMONTHDAY=0 is out of range'],
    ['FREQ=MONTHLY;BYMONTHDAY=32', 'BYMONTHDAY=32 is out of range'],
    ['FREQ=WEEKLY;BYDAY=XX', 'BYDAY=XX is not a day'],
    ['FREQ=WEEKLY;BYDAY=1MO', 'a numbered day needs FREQ=MONTHLY or FREQ=YEARLY'],
    ['FREQ=MONTHLY;BYDAY=54MO', 'BYDAY=54MO is not a day'],
    ['FREQ=WEEKLY;WKST=XX', 'WKST=XX is not a day'],
    ['FREQ=DAILY;UNTIL=2026', 'UNTIL=2026 is not'],
    ['FREQ=DAILY;UNTIL=20260230', 'UNTIL=20260230 is not'],
    ['FREQ=DAILY;UNTIL=20260101T250000Z', 'UNTIL=20260101T250000Z is not'],
    ['FREQ=DAILY;COUNT=2;UNTIL=20260101T000000Z', 'COUNT and UNTIL cannot both be given'],
    ['FREQ=MONTHLY;BYWEEKNO=1', 'BYWEEKNO needs FREQ=YEARLY'],
    ['FREQ=MONTHLY;BYYEARDAY=1', 'BYYEARDAY needs FREQ=YEARLY'],
    ['FREQ=WEEKLY;BYMONTHDAY=1', 'BYMONTHDAY cannot be used with FREQ=WEEKLY'],
    ['FREQ=MONTHLY;BYSETPOS=1', 'BYSETPOS needs another BY'],
    ['FREQ=DAILY;DTSTART=20260101T000000Z', 'DTSTART does not belong in the rule'],
    ['FREQ=DAILY;TZID=Europe/Berlin', 'TZID does not belong in the rule'],
    ['FREQ=DAILY;BYEASTER=0', 'BYEASTER is not a recurrence part'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'FREQ appears twice'],
    ['FREQ=DAILY;;', '"" is not NAME=VALUE'],
    ['FREQ=DAILY;BYHOUR=', '"BYHOUR=" is not NAME=VALUE'],
  ])('%s is refused: %s', (text, message) => {
    const found = issues(text);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toContain(message);
    expect(found.every((f) => f.startsWith('freeze.bad-rrule'))).toBe(true);
  });

  it('reports every problem at once', () => {
    expect(issues('FREQ=DAILY;BYHOUR=25;BYMINUTE=61;BYDAY=XX')).toHaveLength(3);
  });
});
