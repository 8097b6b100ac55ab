import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConvoyError } from '#domain/core/errors.ts';
import { changeKinds } from '#domain/freeze/change-kind.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import { parseIcs, toIcs } from '#domain/calendar/ics.ts';
import { occurrencesBetween } from '#domain/freeze/occurrences.ts';
import { validateFreezeWindow } from '#domain/freeze/window-validation.ts';
import { oneOff, recurring } from '../freeze/support/windows.ts';

const calendar = (...events: string[][]): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'X-WR-TIMEZONE:Europe/Berlin',
    ...events.flatMap((e) => ['BEGIN:VEVENT', ...e, 'END:VEVENT']),
    'END:VCALENDAR',
  ].join('\r\n');

describe('importing iCalendar', () => {
  it.each([
    [
      'a zoned event',
      [
        'UID:black-friday',
        'SUMMARY:Black Friday',
        'DTSTART;TZID=America/New_York:20261127T000000',
        'DTEND;TZID=America/New_York:20261130T080000',
      ],
      {
        id: 'black-friday',
        name: 'Black Friday',
        schedule: { start: '2026-11-27T00:00:00', end: '2026-11-30T08:00:00', timezone: 'America/New_York' },
      },
    ],
    [
      'a UTC event',
      ['UID:abc@example.com', 'SUMMARY:Migration', 'DTSTART:20261201T220000Z', 'DTEND:20261202T020000Z'],
      {
        id: 'abc-example-com',
        schedule: { start: '2026-12-01T22:00:00.000Z', end: '2026-12-02T02:00:00.000Z' },
      },
    ],
    [
      'an all-day event, in the calendar zone',
      ['UID:xmas', 'SUMMARY:Holidays', 'DTSTART;VALUE=DATE:20261220', 'DTEND;VALUE=DATE:20270105'],
      { schedule: { start: '2026-12-20T00:00:00', end: '2027-01-05T00:00:00', timezone: 'Europe/Berlin' } },
    ],
    [
      'an all-day event without an end: one day',
      ['UID:d', 'SUMMARY:Day', 'DTSTART;VALUE=DATE:20261224'],
      { schedule: { start: '2026-12-24T00:00:00', end: '2026-12-25T00:00:00', timezone: 'Europe/Berlin' } },
    ],
    [
      'an event with a duration',
      ['UID:d', 'SUMMARY:Two hours', 'DTSTART:20261224T100000Z', 'DURATION:PT2H'],
      { schedule: { start: '2026-12-24T10:00:00.000Z', end: '2026-12-24T12:00:00.000Z' } },
    ],
    [
      'a floating event with a duration',
      ['UID:d', 'SUMMARY:Two hours', 'DTSTART:20261224T100000', 'DURATION:PT2H'],
      { schedule: { start: '2026-12-24T10:00:00', end: '2026-12-24T12:00:00', timezone: 'Europe/Berlin' } },
    ],
    [
      'a weekly event with RRULE and DURATION',
      [
        'UID:weekend',
        'SUMMARY:Weekend',
        'DTSTART;TZID=America/New_York:20260102T160000',
        'RRULE:FREQ=WEEKLY;BYDAY=FR',
        'DURATION:P2DT16H',
      ],
      {
        schedule: {
          rrule: 'FREQ=WEEKLY;BYDAY=FR',
          duration: 'P2DT16H',
          timezone: 'America/New_York',
          start: '2026-01-02T16:00:00',
        },
      },
    ],
    [
      'a weekly event with RRULE and DTEND',
      [
        'UID:weekend',
        'SUMMARY:Weekend',
        'DTSTART;TZID=America/New_York:20260102T160000',
        'DTEND;TZID=America/New_York:20260105T080000',
        'RRULE:FREQ=WEEKLY;BYDAY=FR',
      ],
      {
        schedule: {
          rrule: 'FREQ=WEEKLY;BYDAY=FR',
          duration: 'P2DT16H',
          timezone: 'America/New_York',
          start: '2026-01-02T16:00:00',
        },
      },
    ],
    [
      'a recurring event ending in UTC: the length on its own clock',
      [
        'UID:n',
        'SUMMARY:Nightly',
        'DTSTART;TZID=Europe/Berlin:20260601T220000',
        'DTEND:20260601T220000Z',
        'RRULE:FREQ=DAILY',
      ],
      {
        schedule: {
          rrule: 'FREQ=DAILY',
          duration: 'PT2H',
          timezone: 'Europe/Berlin',
          start: '2026-06-01T22:00:00',
        },
      },
    ],
    [
      'a recurring all-day event',
      ['UID:n', 'SUMMARY:First of month', 'DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=MONTHLY'],
      {
        schedule: {
          rrule: 'FREQ=MONTHLY',
          duration: 'P1D',
          timezone: 'Europe/Berlin',
          start: '2026-01-01T00:00:00',
        },
      },
    ],
    [
      'an end in another zone than the start',
      [
        'UID:x',
        'SUMMARY:Handover',
        'DTSTART;TZID=Europe/Berlin:20261201T180000',
        'DTEND;TZID=America/New_York:20261201T180000',
      ],
      {
        schedule: {
          start: '2026-12-01T18:00:00',
          end: '2026-12-01T23:00:00.000Z',
          timezone: 'Europe/Berlin',
        },
      },
    ],
    [
      'Convoy properties',
      [
        'UID:x@convoy',
        'SUMMARY:Payments\\, soft',
        'DESCRIPTION:Line one\\nLine two',
        'DTSTART:20261201T000000Z',
        'DTEND:20261202T000000Z',
        'X-CONVOY-ID:payments-soft',
        'X-CONVOY-LEVEL:soft',
        'X-CONVOY-ENVIRONMENTS:prod-*,staging',
        'X-CONVOY-NAMESPACES:payments',
        'X-CONVOY-TEAMS:core',
        'X-CONVOY-CHANGE-KINDS:deploy,flag*',
        'X-CONVOY-ALLOW:flag-kill-switch',
        'X-CONVOY-FORBID-ROLLBACK:TRUE',
        'X-CONVOY-IN-FLIGHT:finish-phase',
      ],
      {
        id: 'payments-soft',
        name: 'Payments, soft',
        description: 'Line one\nLine two',
        level: 'soft',
        scope: {
          environments: ['prod-*', 'staging'],
          namespaces: ['payments'],
          teams: ['core'],
          changeKinds: ['deploy', 'flag*'],
        },
        allow: ['flag-kill-switch'],
        forbidRollback: true,
        inFlight: 'finish-phase',
      },
    ],
  ])('%s becomes a window', (_, event, expected) => {
    const { windows, problems } = parseIcs(calendar(event));
    expect(problems).toEqual([]);
    expect(windows).toHaveLength(1);
    expect(windows[0]).toMatchObject(expected);
  });

  it('events without Convoy properties get the defaults given, else a hard freeze on everything', () => {
    const event = ['UID:x', 'SUMMARY:Closed', 'DTSTART:20261201T000000Z', 'DTEND:20261202T000000Z'];
    expect(parseIcs(calendar(event)).windows[0]).toMatchObject({ level: 'hard', scope: {} });
    expect(
      parseIcs(calendar(event), { level: 'soft', scope: { environments: ['prod-*'] } }).windows[0],
    ).toMatchObject({
      level: 'soft',
      scope: { environments: ['prod-*'] },
    });
  });

  it('floating times take the zone given over the calendar zone, and UTC without either', () => {
    const event = ['UID:x', 'SUMMARY:Floating', 'DTSTART:20261201T100000', 'DTEND:20261201T120000'];
    expect(parseIcs(calendar(event), { timezone: 'Asia/Tokyo' }).windows[0]?.schedule).toMatchObject({
      timezone: 'Asia/Tokyo',
    });
    const bare = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', ...event, 'END:VEVENT', 'END:VCALENDAR'].join('\n');
    expect(parseIcs(bare).windows[0]?.schedule).toMatchObject({ timezone: 'UTC' });
  });

  it('an event without a summary is named after its UID; an unusable UID gets a hashed id', () => {
    const { windows } = parseIcs(
      calendar(
        ['UID:!!!', 'DTSTART:20261201T000000Z', 'DTEND:20261202T000000Z'],
        ['DTSTART:20261201T000000Z', 'DTEND:20261202T000000Z'],
      ),
    );
    expect(windows.map((w) => w.name)).toEqual(['!!!', 'Freeze']);
    expect(windows.every((w) => /^ics-[0-9a-f]{16}$/.test(w.id))).toBe(true);
  });

  it('skips cancelled events and nested components', () => {
    const { windows, problems } = parseIcs(
      calendar(
        ['UID:gone', 'STATUS:CANCELLED', 'DTSTART:20261201T000000Z', 'DTEND:20261202T000000Z'],
        [
          'UID:kept',
          'DTSTART:20261201T000000Z',
          'BEGIN:VALARM',
          'TRIGGER:-PT15M',
          'DTEND:20300101T000000Z',
          'END:VALARM',
          'DTEND:20261202T000000Z',
        ],
      ),
    );
    expect(problems).toEqual([]);
    expect(windows.map((w) => [w.id, w.schedule])).toEqual([
      ['kept', { start: '2026-12-01T00:00:00.000Z', end: '2026-12-02T00:00:00.000Z' }],
    ]);
  });

  it.each([
    [
      'EXDATE',
      ['UID:x', 'DTSTART:20261201T000000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY', 'EXDATE:20261202T000000Z'],
      'freeze.ics-unsupported',
      'VEVENT[0]',
    ],
    ['no DTSTART', ['UID:x', 'DTEND:20261202T000000Z'], 'freeze.ics-event', 'VEVENT[0]'],
    ['no end', ['UID:x', 'DTSTART:20261201T000000Z'], 'freeze.ics-event', 'VEVENT[0]'],
    [
      'a recurring event without a length',
      ['UID:x', 'DTSTART:20261201T000000Z', 'RRULE:FREQ=DAILY'],
      'freeze.ics-event',
      'VEVENT[0]',
    ],
    [
      'a bad date',
      ['UID:x', 'DTSTART:2026-12-01', 'DTEND:20261202T000000Z'],
      'freeze.ics-event',
      'VEVENT[0]',
    ],
    [
      'a bad end date',
      ['UID:x', 'DTSTART:20261201T000000Z', 'DTEND:tomorrow'],
      'freeze.ics-event',
      'VEVENT[0]',
    ],
    ['a bad duration', ['UID:x', 'DTSTART:20261201T000000Z', 'DURATION:2h'], 'freeze.ics-event', 'VEVENT[0]'],
    [
      'an unknown zone',
      ['UID:x', 'DTSTART;TZID=Mars/Base:20261201T000000', 'DTEND;TZID=Mars/Base:20261202T000000'],
      'freeze.unknown-timezone',
      'VEVENT[0].schedule.timezone',
    ],
    [
      'an end before the start',
      ['UID:x', 'DTSTART:20261202T000000Z', 'DTEND:20261201T000000Z'],
      'freeze.end-not-after-start',
      'VEVENT[0].schedule.end',
    ],
    [
      'a bad level',
      ['UID:x', 'DTSTART:20261201T000000Z', 'DTEND:20261202T000000Z', 'X-CONVOY-LEVEL:medium'],
      'freeze.invalid-field',
      'VEVENT[0].level',
    ],
  ])('%s is reported and the event left out', (_, event, code, path) => {
    const { windows, problems } = parseIcs(calendar(event));
    expect(windows).toEqual([]);
    expect(problems.map((p) => [p.code, p.path])).toContainEqual([code, path]);
  });

  it('keeps the good events of a calendar with a bad one, and counts events for the path', () => {
    const good = (uid: string) => [`UID:${uid}`, 'DTSTART:20261201T000000Z', 'DTEND:20261202T000000Z'];
    const { windows, problems } = parseIcs(
      calendar(good('one'), ['UID:bad', 'DTSTART:20261201T000000Z'], good('two')),
    );
    expect(windows).toHaveLength(2);
    expect(problems.map((p) => p.path)).toEqual(['VEVENT[1]']);
  });

  it('an end in an unknown zone is left for validation to report', () => {
    const event = [
      'UID:x',
      'DTSTART;TZID=Europe/Berlin:20261201T180000',
      'DTEND;TZID=Mars/Base:20261201T190000',
    ];
    const { windows } = parseIcs(calendar(event));
    expect(windows[0]?.schedule).toEqual({
      start: '2026-12-01T18:00:00',
      end: '2026-12-01T19:00:00',
      timezone: 'Europe/Berlin',
    });
  });
});

describe('exporting iCalendar', () => {
  it('writes a feed with CRLF line endings, escaped text and folded lines', () => {
    const windows: FreezeWindow[] = [
      oneOff('year-end', '2026-12-20T00:00', '2027-01-05T00:00', {
        timezone: 'Europe/Berlin',
        name: 'Year end; no changes, please',
        description: `Ask the release manager.\n${'Really. '.repeat(10)}`,
        scope: { environments: ['prod-*'] },
        allow: ['flag-kill-switch'],
        forbidRollback: false,
        inFlight: 'finish-phase',
      }),
      recurring('weekend', 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=16', 'P2DT16H', 'America/New_York', {
        level: 'soft',
        start: '2026-01-02T16:00',
      }),
    ];
    const text = toIcs(windows, { calendarName: 'Convoy freezes', stamp: '2026-11-01T12:00:00Z' });
    expect(text).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Convoy//Freeze windows//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        'X-WR-CALNAME:Convoy freezes',
        'NAME:Convoy freezes',
        'BEGIN:VEVENT',
        'UID:year-end@convoy',
        'DTSTAMP:20261101T120000Z',
        'SUMMARY:Year end\\; no changes\\, please',
        'DESCRIPTION:Ask the release manager.\\nReally. Really. Really. Really. Reall', // 75 octets
        ' y. Really. Really. Really. Really. Really. ',
        'DTSTART;TZID=Europe/Berlin:20261220T000000',
        'DTEND;TZID=Europe/Berlin:20270105T000000',
        'TRANSP:OPAQUE',
        'CATEGORIES:FREEZE,HARD',
        'X-CONVOY-ID:year-end',
        'X-CONVOY-LEVEL:hard',
        'X-CONVOY-ENVIRONMENTS:prod-*',
        'X-CONVOY-ALLOW:flag-kill-switch',
        'X-CONVOY-FORBID-ROLLBACK:FALSE',
        'X-CONVOY-IN-FLIGHT:finish-phase',
        'END:VEVENT',
        'BEGIN:VEVENT',
        'UID:weekend@convoy',
        'DTSTAMP:20261101T120000Z',
        'SUMMARY:weekend',
        'DTSTART;TZID=America/New_York:20260102T160000',
        'RRULE:FREQ=WEEKLY;BYDAY=FR;BYHOUR=16',
        'DURATION:P2DT16H',
        'TRANSP:OPAQUE',
        'CATEGORIES:FREEZE,SOFT',
        'X-CONVOY-ID:weekend',
        'X-CONVOY-LEVEL:soft',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
  });

  it.each([
    [
      'a UTC recurrence',
      recurring('r', 'FREQ=DAILY', 'PT1H', 'UTC'),
      ['DTSTART:20000101T000000Z', 'RRULE:FREQ=DAILY'],
    ],
    [
      'a bound with room in the rule',
      recurring('r', 'FREQ=DAILY', 'PT1H', 'Europe/Berlin', { until: '2026-12-31T00:00' }),
      ['RRULE:FREQ=DAILY;UNTIL=20261230T230000Z', 'X-CONVOY-UNTIL:2026-12-31T00:00'],
    ],
    [
      'a bound beside COUNT',
      recurring('r', 'RRULE:FREQ=DAILY;COUNT=3', 'PT1H', 'UTC', { until: '2026-12-31T00:00Z' }),
      ['RRULE:FREQ=DAILY;COUNT=3', 'X-CONVOY-UNTIL:2026-12-31T00:00Z'],
    ],
    [
      'a one-off window with offsets',
      oneOff('o', '2026-12-20T00:00+01:00', '2026-12-21T00:00Z'),
      ['DTSTART:20261219T230000Z', 'DTEND:20261221T000000Z'],
    ],
    [
      'a start given as an instant',
      recurring('r', 'FREQ=DAILY', 'PT1H', 'Asia/Tokyo', { start: '2026-01-01T00:00:00Z' }),
      ['DTSTART;TZID=Asia/Tokyo:20260101T090000'],
    ],
  ])('%s is written with %j', (_, window, lines) => {
    const text = toIcs([window], { calendarName: 'x' });
    for (const line of lines) expect(text.split('\r\n')).toContain(line);
    expect(text).toContain('DTSTAMP:19700101T000000Z');
  });

  it('writes a stamp it cannot read as the Unix epoch', () => {
    const text = toIcs([oneOff('o', '2026-12-20T10:00Z', '2026-12-20T12:00Z')], {
      calendarName: 'x',
      stamp: 'now',
    });
    expect(text).toContain('DTSTAMP:19700101T000000Z');
  });

  it('refuses a window that was never validated', () => {
    expect(() => toIcs([oneOff('bad', 'soon', '2026-12-21T00:00Z')], { calendarName: 'x' })).toThrow(
      ConvoyError,
    );
    expect(() => toIcs([recurring('bad', 'FREQ=SOMETIMES', 'PT1H', 'UTC')], { calendarName: 'x' })).toThrow(
      ConvoyError,
    );
    expect(() =>
      toIcs([oneOff('floating', '2026-12-20T10:00', '2026-12-20T12:00')], { calendarName: 'x' }),
    ).toThrow(ConvoyError);
    expect(() =>
      toIcs([recurring('r', 'FREQ=DAILY', 'PT1H', 'UTC', { until: 'later' })], { calendarName: 'x' }),
    ).toThrow(ConvoyError);
  });
});

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney'];
const RULES = [
  'FREQ=DAILY;BYHOUR=22',
  'FREQ=WEEKLY;BYDAY=FR;BYHOUR=16',
  'FREQ=MONTHLY;BYDAY=-1FR',
  'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20',
  'FREQ=DAILY;COUNT=40',
];
const text = fc
  .string({ minLength: 1, maxLength: 120 })
  .filter((s) => s.trim() === s && s.trim() !== '' && !s.includes('\r'));
const windowArb = fc
  .record({
    id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
    name: text,
    description: fc.option(text, { nil: undefined }),
    level: fc.constantFrom('hard', 'soft'),
    environments: fc.option(fc.constantFrom(['prod-*'], ['dev', 'staging']), { nil: undefined }),
    allow: fc.option(
      fc.subarray(
        [...changeKinds].filter((k) => k !== 'rollback'),
        { minLength: 1 },
      ),
      { nil: undefined },
    ),
    forbidRollback: fc.option(fc.boolean(), { nil: undefined }),
    inFlight: fc.option(fc.constantFrom('pause', 'finish-phase', 'continue'), { nil: undefined }),
    zone: fc.constantFrom(...ZONES),
    day: fc.integer({ min: 0, max: 365 }),
    minutes: fc.integer({ min: 0, max: 24 * 60 - 1 }),
    length: fc.integer({ min: 15, max: 5 * 24 * 60 }),
    rule: fc.option(fc.constantFrom(...RULES), { nil: undefined }),
    local: fc.boolean(),
    until: fc.option(fc.integer({ min: 30, max: 400 }), { nil: undefined }),
  })
  .map((r) => {
    const start = Date.UTC(2026, 0, 1) + r.day * 86_400_000 + r.minutes * 60_000;
    const iso = (ms: number): string =>
      r.local ? new Date(ms).toISOString().slice(0, 16) : new Date(ms).toISOString();
    const schedule =
      r.rule === undefined
        ? { start: iso(start), end: iso(start + r.length * 60_000), ...(r.local ? { timezone: r.zone } : {}) }
        : {
            rrule: r.rule,
            duration: `PT${r.length}M`,
            timezone: r.zone,
            start: iso(start),
            ...(r.until === undefined ? {} : { until: iso(start + r.until * 86_400_000) }),
          };
    return {
      id: r.id,
      name: r.name,
      ...(r.description === undefined ? {} : { description: r.description }),
      scope: r.environments === undefined ? {} : { environments: r.environments },
      schedule,
      level: r.level,
      ...(r.allow === undefined ? {} : { allow: r.allow }),
      ...(r.forbidRollback === undefined ? {} : { forbidRollback: r.forbidRollback }),
      ...(r.inFlight === undefined ? {} : { inFlight: r.inFlight }),
    };
  })
  .map((input) => validateFreezeWindow(input))
  .filter((result): result is { ok: true; window: FreezeWindow } => result.ok)
  .map((result) => result.window);

describe('round trip', () => {
  it('toIcs then parseIcs keeps every window: same fields, same occurrences over a year (property)', () => {
    const from = Date.UTC(2026, 0, 1);
    const to = Date.UTC(2027, 6, 1);
    fc.assert(
      fc.property(fc.uniqueArray(windowArb, { selector: (w) => w.id, maxLength: 4 }), (windows) => {
        const { windows: back, problems } = parseIcs(toIcs(windows, { calendarName: 'Round trip' }));
        expect(problems).toEqual([]);
        expect(back.map(({ schedule: _, ...rest }) => rest)).toEqual(
          windows.map(({ schedule: _, ...rest }) => rest),
        );
        back.forEach((window, i) => {
          expect(occurrencesBetween(window.schedule, from, to)).toEqual(
            occurrencesBetween(windows[i]!.schedule, from, to),
          );
        });
      }),
      { numRuns: 150 },
    );
  });
});

describe('importing a calendar with the same event twice', () => {
  it('keeps the first and reports the second', () => {
    const event = ['UID:same', 'DTSTART:20261201T000000Z', 'DTEND:20261202T000000Z'];
    const { windows, problems } = parseIcs(calendar(event, event));
    expect(windows.map((w) => w.id)).toEqual(['same']);
    expect(problems.map((p) => [p.code, p.path])).toEqual([['freeze.duplicate-id', 'VEVENT[1].id']]);
  });

  it('reads X-WR-TIMEZONE wherever the calendar puts it', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'UID:x',
      'DTSTART:20261201T100000',
      'DTEND:20261201T120000',
      'END:VEVENT',
      'X-WR-TIMEZONE:Asia/Tokyo',
      'END:VCALENDAR',
    ].join('\r\n');
    expect(parseIcs(text).windows[0]?.schedule).toMatchObject({ timezone: 'Asia/Tokyo' });
  });
});
