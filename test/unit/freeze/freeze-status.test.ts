import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ConvoyError } from '#domain/core/errors.ts';
import { compileWindows, freezeStatus, type FreezeQuery } from '#domain/freeze/freeze-status.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import { oneOff, recurring } from './support/windows.ts';

/** The instant a clock in `zone` reads `local` (first reading, for these unambiguous examples). */
const local = (text: string, zone: string): string =>
  DateTime.fromISO(text, { zone }).toUTC().toISO() as string;
const prod: FreezeQuery = { environment: 'prod-eu' };
const frozenAt = (windows: FreezeWindow[], at: string, query: FreezeQuery = prod): boolean =>
  freezeStatus(windows, query, at).frozen;

describe('DST: a window 01:30-02:30 local on the days the clocks change', () => {
  // A person reading the calendar expects the freeze from the moment the wall clock first shows 01:30
  // until the moment it first shows 02:30 after that. On spring-forward day 02:30 never shows: the
  // freeze ends when the clock jumps from 01:59:59 to 03:00 (30 real minutes). On fall-back day 01:30
  // shows twice: the freeze starts at the first 01:30 and runs until 02:30 (two real hours in New York,
  // where 02:30 comes after the repeated hour; one in Berlin, where 02:30 itself is repeated and the
  // first showing ends it).
  it.each([
    ['America/New_York', '2026-03-08', '2026-03-08T06:30:00.000Z', '2026-03-08T07:00:00.000Z'],
    ['America/New_York', '2026-11-01', '2026-11-01T05:30:00.000Z', '2026-11-01T07:30:00.000Z'],
    ['Europe/Berlin', '2026-03-29', '2026-03-29T00:30:00.000Z', '2026-03-29T01:00:00.000Z'],
    ['Europe/Berlin', '2026-10-25', '2026-10-24T23:30:00.000Z', '2026-10-25T00:30:00.000Z'],
  ])('in %s on %s the window runs from %s to %s', (zone, day, start, end) => {
    const windows = [
      oneOff('once', `${day}T01:30`, `${day}T02:30`, { timezone: zone }),
      recurring('nightly', 'FREQ=DAILY;BYHOUR=1;BYMINUTE=30', 'PT1H', zone),
    ];
    for (const window of windows) {
      const status = freezeStatus([window], prod, start);
      expect(status.frozen).toBe(true);
      expect(status.windows[0]).toMatchObject({ start, end });
      expect(status.nextChange).toBe(end);
      const before = Date.parse(start) - 1;
      expect(freezeStatus([window], prod, before).frozen).toBe(false);
      expect(freezeStatus([window], prod, Date.parse(end) - 1).frozen).toBe(true);
      expect(freezeStatus([window], prod, end).frozen).toBe(false);
    }
  });

  it('in New York on fall-back day the second 01:30 is inside the window, and the second 02:00 too', () => {
    const window = oneOff('once', '2026-11-01T01:30', '2026-11-01T02:30', { timezone: 'America/New_York' });
    expect(frozenAt([window], '2026-11-01T06:30:00Z')).toBe(true); // 01:30 EST
    expect(frozenAt([window], '2026-11-01T07:15:00Z')).toBe(true); // 02:15 EST
  });

  it.each([
    // a start the clock skips is reached when the clock jumps to 03:00
    ['America/New_York', '2026-03-08', '2026-03-08T07:00:00.000Z', '2026-03-08T07:30:00.000Z'],
    ['Europe/Berlin', '2026-03-29', '2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z'],
  ])('in %s on %s a window 02:30-03:30 runs from %s (03:00 local) to %s', (zone, day, start, end) => {
    const window = oneOff('once', `${day}T02:30`, `${day}T03:30`, { timezone: zone });
    expect(freezeStatus([window], prod, start).windows[0]).toMatchObject({ start, end });
    expect(frozenAt([window], new Date(Date.parse(start) - 1).toISOString())).toBe(false);
  });

  it('in Berlin on fall-back day the second 02:30 is after the window', () => {
    const window = oneOff('once', '2026-10-25T01:30', '2026-10-25T02:30', { timezone: 'Europe/Berlin' });
    expect(frozenAt([window], '2026-10-25T00:29:59Z')).toBe(true); // 02:29:59 CEST
    expect(frozenAt([window], '2026-10-25T01:30:00Z')).toBe(false); // 02:30 CET
  });
});

describe('a weekly freeze from Friday 16:00 to Monday 08:00', () => {
  const weekend = (zone: string): FreezeWindow =>
    recurring('weekend', 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=16', 'P2DT16H', zone, {
      scope: { environments: ['prod-*'] },
    });

  it.each([
    // zone, Friday, Saturday, Monday
    ['America/New_York', '2026-06-12', '2026-06-13', '2026-06-15'], // summer
    ['America/New_York', '2026-03-06', '2026-03-07', '2026-03-09'], // spring-forward weekend
    ['America/New_York', '2026-10-30', '2026-10-31', '2026-11-02'], // fall-back weekend
    ['Europe/Berlin', '2026-03-27', '2026-03-28', '2026-03-30'],
    ['Europe/Berlin', '2026-10-23', '2026-10-24', '2026-10-26'],
    ['Asia/Tokyo', '2026-01-02', '2026-01-03', '2026-01-05'], // across New Year's weekend
  ])(
    'in %s: from Friday %s 16:00 until Monday %s 08:00 on the local clock',
    (zone, friday, saturday, monday) => {
      const windows = [weekend(zone)];
      expect(frozenAt(windows, local(`${friday}T15:59`, zone))).toBe(false);
      expect(frozenAt(windows, local(`${friday}T16:00`, zone))).toBe(true);
      expect(frozenAt(windows, local(`${saturday}T12:00`, zone))).toBe(true);
      expect(frozenAt(windows, local(`${monday}T07:59`, zone))).toBe(true);
      expect(frozenAt(windows, local(`${monday}T08:00`, zone))).toBe(false);
      expect(freezeStatus(windows, prod, local(`${saturday}T12:00`, zone)).nextChange).toBe(
        local(`${monday}T08:00`, zone),
      );
      expect(freezeStatus(windows, prod, local(`${monday}T08:00`, zone)).nextChange).toBe(
        local(`${DateTime.fromISO(friday).plus({ weeks: 1 }).toISODate() as string}T16:00`, zone),
      );
    },
  );

  it('does not apply outside its scope', () => {
    expect(frozenAt([weekend('UTC')], '2026-06-13T12:00:00Z', { environment: 'staging' })).toBe(false);
  });
});

describe('a yearly freeze across New Year (20 December to 5 January)', () => {
  const yearEnd = recurring('year-end', 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20', 'P16D', 'Europe/Berlin');

  it.each([
    ['2026-12-19T23:59', false],
    ['2026-12-20T00:00', true],
    ['2026-12-31T23:59', true],
    ['2027-01-01T00:00', true],
    ['2027-01-04T23:59', true],
    ['2027-01-05T00:00', false],
    ['2027-06-01T00:00', false],
    ['2028-01-02T12:00', true],
    ['2035-12-25T12:00', true],
  ])('at %s Berlin time, frozen: %s', (at, frozen) => {
    expect(frozenAt([yearEnd], local(at, 'Europe/Berlin'))).toBe(frozen);
  });

  it('reports the occurrence that started last year and when it ends', () => {
    const status = freezeStatus([yearEnd], prod, local('2027-01-03T12:00', 'Europe/Berlin'));
    expect(status.windows.map((w) => [w.start, w.end])).toEqual([
      ['2026-12-19T23:00:00.000Z', '2027-01-04T23:00:00.000Z'],
    ]);
    expect(status.nextChange).toBe('2027-01-04T23:00:00.000Z');
  });

  it('in summer, the next change is the next 20 December', () => {
    expect(freezeStatus([yearEnd], prod, '2027-06-01T00:00:00Z').nextChange).toBe('2027-12-19T23:00:00.000Z');
  });
});

describe('overlapping windows combine and the strictest level wins', () => {
  const december = oneOff('december', '2026-12-01T00:00Z', '2027-01-01T00:00Z', { level: 'soft' });
  const holidays = oneOff('holidays', '2026-12-20T00:00Z', '2027-01-05T00:00Z', { level: 'hard' });
  const audit = oneOff('audit', '2026-12-10T00:00Z', '2026-12-15T00:00Z', { level: 'hard' });
  const windows = [december, holidays, audit];

  it.each([
    ['2026-11-30T00:00:00Z', false, null, [], '2026-12-01T00:00:00.000Z'],
    ['2026-12-05T00:00:00Z', true, 'soft', ['december'], '2026-12-10T00:00:00.000Z'],
    ['2026-12-12T00:00:00Z', true, 'hard', ['audit', 'december'], '2026-12-15T00:00:00.000Z'],
    ['2026-12-16T00:00:00Z', true, 'soft', ['december'], '2026-12-20T00:00:00.000Z'],
    ['2026-12-25T00:00:00Z', true, 'hard', ['holidays', 'december'], '2027-01-05T00:00:00.000Z'],
    ['2027-01-02T00:00:00Z', true, 'hard', ['holidays'], '2027-01-05T00:00:00.000Z'],
    ['2027-01-05T00:00:00Z', false, null, [], null],
  ])('at %s: frozen %s, level %s, windows %j, next change %s', (at, frozen, level, ids, next) => {
    const status = freezeStatus(windows, prod, at);
    expect(status).toMatchObject({ frozen, level, nextChange: next });
    expect(status.windows.map((w) => w.id)).toEqual(ids);
  });

  it('a soft window inside a hard one changes nothing until the hard one ends', () => {
    const inner = oneOff('inner', '2026-12-22T00:00Z', '2026-12-23T00:00Z', { level: 'soft' });
    expect(freezeStatus([holidays, inner], prod, '2026-12-21T00:00:00Z').nextChange).toBe(
      '2027-01-05T00:00:00.000Z',
    );
  });

  it('a soft window starting as a hard one ends keeps the freeze going at soft', () => {
    const after = oneOff('after', '2027-01-05T00:00Z', '2027-01-06T00:00Z', { level: 'soft' });
    const status = freezeStatus([holidays, after], prod, '2027-01-01T00:00:00Z');
    expect(status.nextChange).toBe('2027-01-05T00:00:00.000Z');
    expect(freezeStatus([holidays, after], prod, '2027-01-05T00:00:00Z')).toMatchObject({
      level: 'soft',
      nextChange: '2027-01-06T00:00:00.000Z',
    });
  });

  it('windows of one level starting together are listed by id', () => {
    const twin = oneOff('a-twin', '2026-12-20T00:00Z', '2027-01-05T00:00Z');
    expect(freezeStatus([holidays, twin], prod, '2026-12-25T00:00:00Z').windows.map((w) => w.id)).toEqual([
      'a-twin',
      'holidays',
    ]);
  });

  it('back-to-back hard windows are one freeze', () => {
    const next = oneOff('next', '2027-01-05T00:00Z', '2027-01-07T00:00Z');
    expect(freezeStatus([holidays, next], prod, '2027-01-01T00:00:00Z').nextChange).toBe(
      '2027-01-07T00:00:00.000Z',
    );
  });
});

describe('what a window still permits', () => {
  const at = '2026-12-24T12:00:00Z';
  const base = oneOff('holidays', '2026-12-20T00:00Z', '2027-01-05T00:00Z', { allow: ['flag-kill-switch'] });

  it.each([
    ['deploy', true],
    ['flag', true],
    ['rollout-phase', true],
    ['flag-kill-switch', false], // in the allow list
    ['rollback', false], // allowed by default
  ] as const)('%s frozen: %s', (kind, frozen) => {
    expect(frozenAt([base], at, { environment: 'prod', kind })).toBe(frozen);
  });

  it('a window may forbid rollback', () => {
    expect(frozenAt([{ ...base, forbidRollback: true }], at, { environment: 'prod', kind: 'rollback' })).toBe(
      true,
    );
  });

  it('lists the kinds still allowed, and each window says what it permits', () => {
    const status = freezeStatus([base], { environment: 'prod' }, at);
    expect(status.allowedKinds).toEqual(['rollback', 'flag-kill-switch']);
    expect(status.windows[0]).toMatchObject({ allow: ['rollback', 'flag-kill-switch'], inFlight: 'pause' });
  });

  it('a kind outside a window scoped to change kinds is not frozen by it', () => {
    const flags = { ...base, scope: { changeKinds: ['flag*'] } };
    expect(frozenAt([flags], at, { environment: 'prod', kind: 'deploy' })).toBe(false);
    expect(frozenAt([flags], at, { environment: 'prod', kind: 'flag' })).toBe(true);
    expect(freezeStatus([flags], { environment: 'prod' }, at).allowedKinds).toEqual([
      'deploy',
      'rollback',
      'flag-kill-switch',
      'rollout-phase',
    ]);
  });

  it('a window that permits every kind freezes nothing, even for "any change"', () => {
    const open = {
      ...base,
      allow: ['deploy', 'rollback', 'flag', 'flag-kill-switch', 'rollout-phase'] as FreezeWindow['allow'],
    };
    expect(freezeStatus([open], { environment: 'prod' }, at)).toMatchObject({
      frozen: false,
      nextChange: null,
    });
  });

  it('the permitted kind of one window does not unfreeze another window', () => {
    const strict = oneOff('strict', '2026-12-20T00:00Z', '2027-01-05T00:00Z', { level: 'soft' });
    const status = freezeStatus([base, strict], { environment: 'prod', kind: 'flag-kill-switch' }, at);
    expect(status).toMatchObject({ frozen: true, level: 'soft' });
    expect(status.windows.map((w) => w.id)).toEqual(['strict']);
  });

  it('when the only window freezing a kind is permitted, the kind sees its own next change', () => {
    expect(freezeStatus([base], { environment: 'prod', kind: 'rollback' }, at)).toMatchObject({
      frozen: false,
      nextChange: null,
    });
  });
});

describe('scope', () => {
  const at = '2026-12-24T12:00:00Z';
  const scoped = oneOff('payments', '2026-12-20T00:00Z', '2027-01-05T00:00Z', {
    scope: { environments: ['prod-*'], namespaces: ['pay*'], teams: ['core'] },
  });

  it.each([
    [
      'the environment and namespace match',
      { environment: 'prod-eu', namespaces: ['payments'], teams: ['core'] },
      true,
    ],
    ['another environment', { environment: 'dev', namespaces: ['payments'] }, false],
    ['a glob * does not cross a dot', { environment: 'prod-eu.canary' }, false],
    ['another namespace', { environment: 'prod-eu', namespaces: ['identity'] }, false],
    [
      'one of several namespaces matches',
      { environment: 'prod-eu', namespaces: ['identity', 'payouts'] },
      true,
    ],
    ['namespaces not known: the window applies (fail closed)', { environment: 'prod-eu' }, true],
    ['no namespace touched', { environment: 'prod-eu', namespaces: [] }, false],
    ['another team', { environment: 'prod-eu', teams: ['web'] }, false],
  ])('%s → frozen %s', (_, query, frozen) => {
    expect(frozenAt([scoped], at, query)).toBe(frozen);
  });

  it('** crosses dots', () => {
    const deep = { ...scoped, scope: { environments: ['prod-**'] } };
    expect(frozenAt([deep], at, { environment: 'prod-eu.canary' })).toBe(true);
  });
});

describe('next change', () => {
  it('is null when no window will start', () => {
    expect(
      freezeStatus([oneOff('past', '2020-01-01T00:00Z', '2020-01-02T00:00Z')], prod, '2026-01-01T00:00:00Z')
        .nextChange,
    ).toBeNull();
    expect(freezeStatus([], prod, '2026-01-01T00:00:00Z')).toMatchObject({
      frozen: false,
      level: null,
      nextChange: null,
    });
  });

  it('finds a start years ahead, up to five years', () => {
    const far = oneOff('far', '2030-01-01T00:00Z', '2030-01-02T00:00Z');
    expect(freezeStatus([far], prod, '2026-01-01T00:00:00Z').nextChange).toBe('2030-01-01T00:00:00.000Z');
    expect(freezeStatus([far], prod, '2020-01-01T00:00:00Z').nextChange).toBeNull();
  });

  it('is null while a freeze is unbroken for more than 400 days', () => {
    const long = oneOff('long', '2026-01-01T00:00Z', '2028-01-01T00:00Z');
    expect(freezeStatus([long], prod, '2026-06-01T00:00:00Z')).toMatchObject({
      frozen: true,
      nextChange: null,
    });
    expect(freezeStatus([long], prod, '2027-06-01T00:00:00Z').nextChange).toBe('2028-01-01T00:00:00.000Z');
  });

  it('a soft freeze unbroken for more than 400 days changes when a hard one starts, or not within the horizon', () => {
    const long = oneOff('long', '2026-01-01T00:00Z', '2028-01-01T00:00Z', { level: 'soft' });
    const hard = oneOff('hard', '2026-09-01T00:00Z', '2026-09-02T00:00Z');
    expect(freezeStatus([long], prod, '2026-06-01T00:00:00Z')).toMatchObject({
      level: 'soft',
      nextChange: null,
    });
    expect(freezeStatus([long, hard], prod, '2026-06-01T00:00:00Z').nextChange).toBe(
      '2026-09-01T00:00:00.000Z',
    );
  });

  it('occurrences of one window that overlap merge into one current occurrence', () => {
    const always = recurring('always', 'FREQ=DAILY', 'P2D', 'UTC', { start: '2026-01-01T00:00' });
    const status = freezeStatus([always], prod, '2026-06-01T12:00:00Z');
    expect(status.windows[0]).toMatchObject({
      start: '2026-05-31T00:00:00.000Z',
      end: '2026-06-03T00:00:00.000Z',
    });
    expect(status.nextChange).toBeNull();
  });

  it('a recurring window bounded by until stops', () => {
    const bounded = recurring('bounded', 'FREQ=DAILY;BYHOUR=22', 'PT8H', 'UTC', {
      until: '2026-01-10T00:00:00Z',
    });
    expect(frozenAt([bounded], '2026-01-09T23:00:00Z')).toBe(true);
    expect(frozenAt([bounded], '2026-01-10T23:00:00Z')).toBe(false);
    expect(freezeStatus([bounded], prod, '2026-01-10T12:00:00Z').nextChange).toBeNull();
  });
});

describe('compiled windows', () => {
  it('answer like the one-shot wrapper, query after query, in any order', () => {
    const windows = [
      recurring('weekend', 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=16', 'P2DT16H', 'America/New_York'),
      recurring('nightly', 'FREQ=DAILY;BYHOUR=23', 'PT2H', 'Asia/Kolkata', { level: 'soft' }),
      oneOff('release', '2026-05-01T00:00Z', '2026-05-03T00:00Z'),
    ];
    const compiled = compileWindows(windows);
    const instants = [
      '2026-05-02T00:00:00Z',
      '2031-01-01T00:00:00Z', // far away: the cache starts over
      '2026-04-01T00:00:00Z', // back again
      '2026-03-01T00:00:00Z', // earlier: the cache grows backwards
      '2026-06-30T00:00:00Z',
      '2026-05-02T00:00:00Z',
    ];
    for (const at of instants) {
      expect(compiled.status({ environment: 'prod', kind: 'deploy' }, at)).toEqual(
        freezeStatus(windows, { environment: 'prod', kind: 'deploy' }, at),
      );
    }
  });

  it('remember many distinct scopes without growing without bound', () => {
    const compiled = compileWindows([
      oneOff('x', '2026-01-01T00:00Z', '2026-01-02T00:00Z', { scope: { environments: ['env-1*'] } }),
    ]);
    for (let i = 0; i < 1100; i += 1) {
      expect(compiled.status({ environment: `env-${i}` }, '2026-01-01T12:00:00Z').frozen).toBe(
        String(i).startsWith('1'),
      );
    }
  });

  it.each(['2026-01-01T00:00', 'yesterday', Number.NaN])('refuse %j as an instant', (at) => {
    expect(() => freezeStatus([], prod, at)).toThrow(ConvoyError);
  });

  it('list every window in force for a change, saying whether it permits it', () => {
    const windows = [
      oneOff('hard', '2026-12-20T00:00Z', '2027-01-05T00:00Z', { allow: ['flag-kill-switch'] }),
      oneOff('soft', '2026-12-01T00:00Z', '2027-01-01T00:00Z', { level: 'soft' }),
      oneOff('deploys', '2026-12-01T00:00Z', '2027-01-01T00:00Z', { scope: { changeKinds: ['deploy'] } }),
      oneOff('later', '2027-02-01T00:00Z', '2027-03-01T00:00Z'),
    ];
    const applying = compileWindows(windows).applying(
      { environment: 'prod', kind: 'flag-kill-switch' },
      '2026-12-24T00:00:00Z',
    );
    expect(applying.map((w) => [w.id, w.permits])).toEqual([
      ['hard', true],
      ['soft', false],
    ]);
  });
});
