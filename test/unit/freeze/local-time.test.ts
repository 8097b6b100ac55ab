import fc from 'fast-check';
import { Duration, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  endInstant,
  instantsOf,
  isPositiveDuration,
  isValidTimeZone,
  maxSpanMs,
  parseDateTimeText,
  parseDuration,
  parseInstant,
  resolveEnd,
  resolveStart,
  startInstant,
  toIso,
  wallAdder,
  wallOf,
  wallOfText,
} from '#domain/freeze/local-time.ts';
import { changeBetween, offsetAt } from '#domain/freeze/zone-offsets.ts';

const wall = (text: string): number => Date.parse(`${text}Z`);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('date-time texts', () => {
  it.each([
    ['2026-12-20T18:00:00Z', { kind: 'instant', ms: Date.parse('2026-12-20T18:00:00Z') }],
    ['2026-12-20T18:00+01:00', { kind: 'instant', ms: Date.parse('2026-12-20T17:00:00Z') }],
    ['2026-12-20T18:00:00.500-0500', { kind: 'instant', ms: Date.parse('2026-12-20T23:00:00.500Z') }],
    ['2026-12-20T18:00', { kind: 'local', wall: wall('2026-12-20T18:00:00') }],
    ['2026-12-20T18:00:30.25', { kind: 'local', wall: wall('2026-12-20T18:00:30.250') }],
  ])('%s is read as %o', (text, expected) => {
    expect(parseDateTimeText(text)).toEqual(expected);
  });

  it.each([
    '2026-12-20',
    'tomorrow',
    '2026-02-30T10:00',
    '2026-02-30T10:00Z',
    '2026-12-20T25:00',
    '2026-12-20 18:00',
    '',
  ])('%j is not a date-time', (text) => {
    expect(parseDateTimeText(text)).toBeNull();
  });

  it.each([
    [1_800_000_000_000, 1_800_000_000_000],
    ['2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:00:00Z')],
    ['2026-01-01T00:00', null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
  ])('parseInstant(%j) is %j: an instant needs Z, an offset or epoch ms', (value, expected) => {
    expect(parseInstant(value)).toBe(expected);
  });

  it('toIso writes UTC', () => {
    expect(toIso(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it.each([
    ['Europe/Berlin', true],
    ['America/New_York', true],
    ['UTC', true],
    ['Mars/Olympus', false],
    ['', false],
  ])('%j is a time zone: %s', (zone, valid) => {
    expect(isValidTimeZone(zone)).toBe(valid);
    expect(isValidTimeZone(zone)).toBe(valid); // remembered
  });

  it('remembers zone answers without growing without bound', () => {
    for (let i = 0; i < 1001; i += 1) expect(isValidTimeZone(`Nowhere/Zone${i}`)).toBe(false);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
  });
});

describe('reading the clock of a zone', () => {
  it.each([
    // zone, local reading, instants at which the clock shows it
    ['America/New_York', '2026-07-01T12:00:00', ['2026-07-01T16:00:00.000Z']],
    ['America/New_York', '2026-03-08T01:30:00', ['2026-03-08T06:30:00.000Z']],
    // skipped by spring forward (02:00 EST -> 03:00 EDT): reached when the clock jumps, 03:00 EDT
    ['America/New_York', '2026-03-08T02:30:00', ['2026-03-08T07:00:00.000Z']],
    // repeated by fall back (02:00 EDT -> 01:00 EST): both, earliest first
    ['America/New_York', '2026-11-01T01:30:00', ['2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z']],
    ['Europe/Berlin', '2026-03-29T02:30:00', ['2026-03-29T01:00:00.000Z']],
    ['Europe/Berlin', '2026-10-25T02:30:00', ['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']],
    ['Europe/Berlin', '2026-10-25T01:30:00', ['2026-10-24T23:30:00.000Z']],
    ['Australia/Lord_Howe', '2026-10-04T02:15:00', ['2026-10-03T15:30:00.000Z']],
  ])('in %s, %s is shown at %j', (zone, local, expected) => {
    expect(instantsOf(wall(local), zone).map(iso)).toEqual(expected);
  });

  it('a window starts at the first showing of its start and ends at the first showing of its end after that', () => {
    const zone = 'America/New_York';
    const start = startInstant(wall('2026-11-01T01:30:00'), zone);
    expect(iso(start)).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(endInstant(wall('2026-11-01T01:45:00'), zone, start))).toBe('2026-11-01T05:45:00.000Z');
    const secondPass = Date.parse('2026-11-01T06:10:00Z'); // 01:10 EST
    expect(iso(endInstant(wall('2026-11-01T01:45:00'), zone, secondPass))).toBe('2026-11-01T06:45:00.000Z');
    // an end reading that came before the start: the last candidate, so the caller sees end <= start
    expect(endInstant(wall('2026-11-01T01:00:00'), zone, secondPass)).toBeLessThanOrEqual(secondPass);
  });

  it('resolves texts: instants stand, local readings are read in the zone', () => {
    const local = parseDateTimeText('2026-03-08T02:30')!;
    const instant = parseDateTimeText('2026-03-08T02:30:00Z')!;
    expect(iso(resolveStart(local, 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(resolveStart(instant, 'America/New_York'))).toBe('2026-03-08T02:30:00.000Z');
    expect(iso(resolveEnd(instant, 'America/New_York', 0))).toBe('2026-03-08T02:30:00.000Z');
    expect(iso(resolveEnd(local, 'America/New_York', 0))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(wallOfText(instant, 'Europe/Berlin'))).toBe('2026-03-08T03:30:00.000Z');
    expect(wallOfText(local, 'Europe/Berlin')).toBe(wall('2026-03-08T02:30:00'));
  });

  it('wallOf is the zone clock reading, as luxon has it', () => {
    expect(iso(wallOf(Date.parse('2026-07-01T16:00:00Z'), 'America/New_York'))).toBe(
      '2026-07-01T12:00:00.000Z',
    );
  });

  const zones = [
    'America/New_York',
    'Europe/Berlin',
    'Australia/Sydney',
    'Asia/Kolkata',
    'America/Sao_Paulo',
    'Africa/Casablanca',
  ];
  it('the offset memo agrees with luxon at every instant (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }),
        (zone, t) => {
          expect(offsetAt(zone, t)).toBe(IANAZone.create(zone).offset(t));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('the offset memo is exact at a transition, to the millisecond', () => {
    const change = Date.parse('2026-03-08T07:00:00Z');
    expect(offsetAt('America/New_York', change - 1)).toBe(-300);
    expect(offsetAt('America/New_York', change)).toBe(-240);
    expect(changeBetween('America/New_York', change - 3_600_000, change + 3_600_000)).toBe(change);
  });

  it('every instant reads back as its own wall time (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2035, 0, 1) }),
        (zone, t) => {
          expect(instantsOf(wallOf(t, zone), zone)).toContain(t);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('durations', () => {
  it.each([
    ['PT2H', true],
    ['P2DT16H', true],
    ['P1Y2M3W4DT5H6M7S', true],
    ['PT1.5H', true],
    ['PT0S', true],
    ['P', false],
    ['PT', false],
    ['P1DT', false],
    ['-P1D', false],
    ['PT-1H', false],
    ['p1d', false],
    ['P1D1Y', false], // units out of order
    ['2 hours', false],
  ])('%s is an ISO 8601 duration: %s', (text, valid) => {
    expect(parseDuration(text) !== null).toBe(valid);
  });

  it.each([
    ['PT2H', true],
    ['PT0S', false],
    ['P0D', false],
  ])('%s is longer than zero: %s', (text, positive) => {
    expect(isPositiveDuration(parseDuration(text)!)).toBe(positive);
  });

  it.each([
    ['2026-03-06T16:00:00', 'P2DT16H', '2026-03-09T08:00:00'],
    ['2026-12-20T00:00:00', 'P16D', '2027-01-05T00:00:00'],
    ['2026-01-31T10:00:00', 'P1M', '2026-02-28T10:00:00'],
    ['2024-02-29T10:00:00', 'P1Y', '2025-02-28T10:00:00'],
    ['2026-03-08T01:30:00', 'PT1H', '2026-03-08T02:30:00'],
  ])('%s + %s on the clock face is %s', (start, duration, end) => {
    expect(iso(wallAdder(parseDuration(duration)!)(wall(start)))).toBe(`${end}.000Z`);
  });

  it.each([
    ['PT90M', 90 * 60_000],
    ['P1Y1M1W1DT1H1M1S', (366 + 31 + 7 + 1) * 86_400_000 + 3_661_000],
  ])('%s spans at most %d ms', (text, ms) => {
    expect(maxSpanMs(parseDuration(text)!)).toBe(ms);
  });

  it('a luxon duration with milliseconds is bounded too', () => {
    expect(maxSpanMs(Duration.fromObject({ milliseconds: 5 }))).toBe(5);
  });
});
