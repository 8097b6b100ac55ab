import { describe, expect, it } from 'vitest';
import { parseIcs, toIcs } from '#domain/calendar/ics.ts';
import { structureProblems, unfoldNumbered } from '#domain/calendar/ics-text.ts';
import { validateFreezeWindow } from '#domain/freeze/window-validation.ts';
import { oneOff } from '../freeze/support/windows.ts';

const lines = (...text: string[]) => unfoldNumbered(text.join('\r\n'));
const event = ['BEGIN:VEVENT', 'UID:a', 'DTSTART:20261201T000000Z', 'DTEND:20261202T000000Z', 'END:VEVENT'];
const calendar = (...body: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...body, 'END:VCALENDAR'];

describe('unfoldNumbered', () => {
  it('numbers each unfolded line by the physical line it starts on, dropping blank ones', () => {
    expect(unfoldNumbered('A:1\r\n\r\nB:2\r\n  more\n\tand more\rC:3\n')).toEqual([
      { line: 1, text: 'A:1' },
      { line: 3, text: 'B:2 moreand more' },
      { line: 6, text: 'C:3' },
    ]);
  });

  it('keeps a first line that starts with a space', () => {
    expect(unfoldNumbered(' A:1')).toEqual([{ line: 1, text: ' A:1' }]);
  });
});

describe('structureProblems', () => {
  it('accepts well-formed calendars, one after another, with nested components', () => {
    expect(
      structureProblems(lines(...calendar(...event), ...calendar('BEGIN:VTIMEZONE', 'END:VTIMEZONE'))),
    ).toEqual([]);
  });

  it.each([
    [
      'text after the calendar',
      [...calendar(...event), 'junk'],
      [{ line: 9, message: '"junk" is not an iCalendar content line (NAME:value)' }],
    ],
    [
      'a property after the calendar',
      [...calendar(), 'X-A:1'],
      [{ line: 4, message: '"X-A:1" is outside BEGIN:VCALENDAR … END:VCALENDAR' }],
    ],
    [
      'an event after the calendar',
      [...calendar(), 'BEGIN:VEVENT', 'END:VEVENT'],
      [
        { line: 4, message: '"BEGIN:VEVENT" is outside BEGIN:VCALENDAR … END:VCALENDAR' },
        { line: 5, message: '"END:VEVENT" is outside BEGIN:VCALENDAR … END:VCALENDAR' },
      ],
    ],
    [
      'text before the calendar',
      ['hello: world', ...calendar()],
      [{ line: 1, message: '"hello: world" is outside BEGIN:VCALENDAR … END:VCALENDAR' }],
    ],
    [
      'a line without a colon',
      calendar('BEGIN:VEVENT', 'garbage', 'END:VEVENT'),
      [{ line: 4, message: '"garbage" is not an iCalendar content line (NAME:value)' }],
    ],
    [
      'a calendar inside a calendar',
      calendar('BEGIN:VCALENDAR'),
      [{ line: 3, message: 'BEGIN:VCALENDAR inside a calendar; close the first one' }],
    ],
    [
      'an END closing the wrong component',
      calendar('BEGIN:VEVENT', 'END:VALARM', 'END:VEVENT'),
      [{ line: 4, message: 'END:VALARM does not close BEGIN:VEVENT' }],
    ],
    [
      'a calendar never closed',
      ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'END:VEVENT'],
      [{ line: 1, message: 'BEGIN:VCALENDAR is never closed by END:VCALENDAR' }],
    ],
    [
      'a long line of junk, shortened',
      [...calendar(), 'x'.repeat(100)],
      [{ line: 4, message: `"${'x'.repeat(37)}..." is not an iCalendar content line (NAME:value)` }],
    ],
  ])('reports %s with its line', (_, text, problems) => {
    expect(structureProblems(lines(...text))).toEqual(problems);
  });

  it('reports 20 problems at most', () => {
    const junk = Array.from({ length: 30 }, (_, i) => `junk ${i}`);
    expect(structureProblems(lines(...calendar(), ...junk))).toHaveLength(20);
    expect(structureProblems(lines(...junk.slice(0, 19), 'BEGIN:VCALENDAR', 'BEGIN:VEVENT'))).toHaveLength(
      20,
    );
  });
});

describe('parseIcs refuses a malformed file as a whole', () => {
  it('imports nothing from a calendar followed by a stray event, and names the line', () => {
    const text = [...calendar(), ...event].join('\r\n');
    expect(parseIcs(text)).toEqual({
      windows: [],
      problems: [
        {
          code: 'freeze.ics-syntax',
          path: 'line 4',
          message: 'line 4: "BEGIN:VEVENT" is outside BEGIN:VCALENDAR … END:VCALENDAR',
        },
        ...[5, 6, 7, 8].map((line) => expect.objectContaining({ path: `line ${line}` })),
      ],
    });
  });

  it('leaves out an event that gives a property it reads twice', () => {
    const twice = [
      'BEGIN:VEVENT',
      'UID:b',
      'DTSTART:20261201T000000Z',
      'DTSTART:20271201T000000Z',
      'DURATION:PT1H',
      'X-CONVOY-LEVEL:hard',
      'X-CONVOY-LEVEL:soft',
      'END:VEVENT',
    ];
    const { windows, problems } = parseIcs(
      calendar(
        ...event,
        ...twice,
        'BEGIN:VEVENT',
        'UID:c',
        'ATTENDEE:a',
        'ATTENDEE:b',
        'DTSTART:20261203T000000Z',
        'DURATION:PT1H',
        'END:VEVENT',
      ).join('\r\n'),
    );
    expect(windows.map((w) => w.id)).toEqual(['a', 'c']);
    expect(problems).toEqual([
      {
        code: 'freeze.ics-repeated',
        path: 'VEVENT[1]',
        message: 'DTSTART, X-CONVOY-LEVEL is given more than once; the event was not imported',
      },
    ]);
  });

  it('reads back what it exports', () => {
    const window = oneOff('launch', '2026-12-01T08:00:00Z', '2026-12-01T20:00:00Z', {
      scope: { environments: ['prod-*'] },
    });
    expect(validateFreezeWindow(window).ok).toBe(true);
    const { windows, problems } = parseIcs(toIcs([window], { calendarName: 'x' }));
    expect(problems).toEqual([]);
    expect(windows.map((w) => [w.id, w.scope])).toEqual([['launch', { environments: ['prod-*'] }]]);
  });
});
