import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeText,
  foldLine,
  formatIcsDateTime,
  localIso,
  paramValue,
  parseContentLine,
  parseIcsDateTime,
  unescapeText,
  unfold,
} from '#domain/calendar/ics-text.ts';

const octets = (text: string): number => new TextEncoder().encode(text).length;

describe('iCalendar content lines', () => {
  it('unfolds continuation lines (space or tab) and accepts LF or CR line ends', () => {
    expect(unfold('SUMMARY:Year\r\n  end\r\n\t freeze\r\nUID:1\n\nEND:VEVENT\r')).toEqual([
      'SUMMARY:Year end freeze',
      'UID:1',
      'END:VEVENT',
    ]);
  });

  it.each([
    [
      'DTSTART;TZID=Europe/Berlin:20261220T000000',
      { name: 'DTSTART', params: { TZID: 'Europe/Berlin' }, value: '20261220T000000' },
    ],
    ['dtstart;value=DATE:20261220', { name: 'DTSTART', params: { VALUE: 'DATE' }, value: '20261220' }],
    ['X-A;P="a:b;c":v:w', { name: 'X-A', params: { P: 'a:b;c' }, value: 'v:w' }],
    ['DESCRIPTION:', { name: 'DESCRIPTION', params: {}, value: '' }],
    ['X-B;NOVALUE:x', { name: 'X-B', params: {}, value: 'x' }],
  ])('%s is parsed', (line, expected) => {
    expect(parseContentLine(line)).toEqual(expected);
  });

  it.each(['no colon here', ':value without a name', ';X=1:value without a name'])(
    '%j is not a content line',
    (line) => {
      expect(parseContentLine(line)).toBeNull();
    },
  );

  it.each([
    ['a, b; c\\d\nnext', 'a\\, b\\; c\\\\d\\nnext'],
    ['line\r\nbreak', 'line\\nbreak'],
  ])('escapes TEXT %j as %j', (text, escaped) => {
    expect(escapeText(text)).toBe(escaped);
  });

  it('unescapes \\N as a line break too', () => {
    expect(unescapeText('a\\Nb\\,c')).toBe('a\nb,c');
  });

  it('escaping round-trips any text but lone CRs (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const plain = text.replace(/\r/g, '');
        expect(unescapeText(escapeText(plain))).toBe(plain);
      }),
    );
  });

  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['My: zone', '"My: zone"'],
    ['a"b;c', '"ab;c"'],
  ])('parameter value %j is written %s', (value, written) => {
    expect(paramValue(value)).toBe(written);
  });

  it('folds at 75 octets without splitting a character, and unfolds back (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 400 }).map((s) => `SUMMARY:${s.replace(/[\r\n]/g, '')}`),
        (line) => {
          const folded = foldLine(line);
          for (const physical of folded.split('\r\n')) expect(octets(physical)).toBeLessThanOrEqual(75);
          expect(unfold(folded)).toEqual([line]);
        },
      ),
    );
  });

  it('folds a long line of multi-byte characters', () => {
    const folded = foldLine(`SUMMARY:${'ä'.repeat(100)}`);
    expect(folded.split('\r\n').map(octets)).toEqual([74, 75, 61]);
  });

  it.each([
    ['20261220T183000Z', { ms: Date.UTC(2026, 11, 20, 18, 30), utc: true, date: false }],
    ['20261220T183000', { ms: Date.UTC(2026, 11, 20, 18, 30), utc: false, date: false }],
    ['20261220', { ms: Date.UTC(2026, 11, 20), utc: false, date: true }],
  ])('reads %s', (value, expected) => {
    expect(parseIcsDateTime(value)).toEqual(expected);
  });

  it.each([
    '20260230',
    '20261320T000000',
    '20261220T250000',
    '20261220T236000',
    '2026-12-20',
    '20261220T1830',
  ])('%s is not a date', (value) => {
    expect(parseIcsDateTime(value)).toBeNull();
  });

  it('writes date-times and local readings', () => {
    expect(formatIcsDateTime(Date.UTC(2026, 0, 2, 3, 4, 5), true)).toBe('20260102T030405Z');
    expect(formatIcsDateTime(Date.UTC(2026, 0, 2, 3, 4, 5), false)).toBe('20260102T030405');
    expect(localIso(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02T03:04:05');
  });
});
