import { describe, expect, it } from 'vitest';
import { freezeWindowSchema, inFlightOf, isRecurring } from '#domain/freeze/freeze-window.ts';
import { validateFreezeWindow, validateFreezeWindows } from '#domain/freeze/window-validation.ts';
import { oneOff, recurring } from './support/windows.ts';

const valid = {
  id: 'year-end',
  name: 'Year end',
  scope: { environments: ['prod-*'] },
  schedule: { start: '2026-12-20T00:00', end: '2027-01-05T00:00', timezone: 'Europe/Berlin' },
  level: 'hard',
};

const codes = (input: unknown): Array<[string, string | undefined]> => {
  const result = validateFreezeWindow(input);
  return result.ok ? [] : result.problems.map((p) => [p.code, p.path]);
};

const withSchedule = (schedule: unknown) => ({ ...valid, schedule });

describe('a freeze window', () => {
  it.each([
    ['a one-off window in a zone', valid],
    [
      'a one-off window with offsets',
      withSchedule({ start: '2026-12-20T00:00:00Z', end: '2027-01-05T00:00:00+01:00' }),
    ],
    [
      'a recurring window',
      withSchedule({
        rrule: 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=16',
        duration: 'P2DT16H',
        timezone: 'America/New_York',
      }),
    ],
    [
      'a bounded recurring window',
      withSchedule({
        rrule: 'FREQ=DAILY',
        duration: 'PT1H',
        timezone: 'UTC',
        start: '2026-01-01T22:00',
        until: '2026-12-31T23:00:00Z',
      }),
    ],
    [
      'every optional field',
      {
        ...valid,
        description: 'No changes over the holidays',
        scope: {
          environments: ['prod-**'],
          namespaces: ['payments'],
          teams: ['core'],
          changeKinds: ['deploy', 'flag*'],
        },
        allow: ['flag-kill-switch'],
        forbidRollback: true,
        inFlight: 'finish-phase',
      },
    ],
  ])('%s is valid', (_, input) => {
    expect(codes(input)).toEqual([]);
    expect(freezeWindowSchema.safeParse(input).success).toBe(true);
  });

  it.each([
    [
      'a local start without a zone',
      withSchedule({ start: '2026-12-20T00:00', end: '2027-01-05T00:00:00Z' }),
      [['freeze.timezone-required', 'schedule.timezone']],
    ],
    [
      'end before start',
      withSchedule({ start: '2026-12-20T00:00Z', end: '2026-12-19T00:00Z' }),
      [['freeze.end-not-after-start', 'schedule.end']],
    ],
    [
      'end equal to start',
      withSchedule({ start: '2026-12-20T00:00Z', end: '2026-12-20T01:00+01:00' }),
      [['freeze.end-not-after-start', 'schedule.end']],
    ],
    // 02:10-02:40 on the spring-forward day never shows on a New York clock: an empty window
    [
      'a window the clock skips entirely',
      withSchedule({ start: '2026-03-08T02:10', end: '2026-03-08T02:40', timezone: 'America/New_York' }),
      [['freeze.end-not-after-start', 'schedule.end']],
    ],
    [
      'a date without a time',
      withSchedule({ start: '2026-12-20', end: '2027-01-05T00:00Z' }),
      [['freeze.bad-datetime', 'schedule.start']],
    ],
    [
      'an unknown zone',
      withSchedule({ start: '2026-12-20T00:00', end: '2027-01-05T00:00', timezone: 'Europe/Atlantis' }),
      [['freeze.unknown-timezone', 'schedule.timezone']],
    ],
    [
      'a bad rrule',
      withSchedule({ rrule: 'FREQ=WEEKLY;BYDAY=XX', duration: 'PT1H', timezone: 'UTC' }),
      [['freeze.bad-rrule', 'schedule.rrule']],
    ],
    [
      'an hourly rrule',
      withSchedule({ rrule: 'FREQ=HOURLY', duration: 'PT1H', timezone: 'UTC' }),
      [['freeze.rrule-too-frequent', 'schedule.rrule']],
    ],
    [
      'an rrule that never occurs',
      withSchedule({ rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', duration: 'PT1H', timezone: 'UTC' }),
      [['freeze.rrule-never-occurs', 'schedule.rrule']],
    ],
    [
      'a zero duration',
      withSchedule({ rrule: 'FREQ=DAILY', duration: 'PT0S', timezone: 'UTC' }),
      [['freeze.duration-not-positive', 'schedule.duration']],
    ],
    [
      'a bad duration',
      withSchedule({ rrule: 'FREQ=DAILY', duration: '2h', timezone: 'UTC' }),
      [['freeze.bad-duration', 'schedule.duration']],
    ],
    [
      'until before start',
      withSchedule({
        rrule: 'FREQ=DAILY',
        duration: 'PT1H',
        timezone: 'UTC',
        start: '2026-01-02T00:00',
        until: '2026-01-01T00:00Z',
      }),
      [['freeze.until-before-start', 'schedule.until']],
    ],
    [
      'a bad glob',
      { ...valid, scope: { environments: ['prod eu'] } },
      [['freeze.bad-glob', 'scope.environments[0]']],
    ],
    ['three stars', { ...valid, scope: { teams: ['***'] } }, [['freeze.bad-glob', 'scope.teams[0]']]],
    [
      'an empty glob list',
      { ...valid, scope: { namespaces: [] } },
      [['freeze.invalid-field', 'scope.namespaces']],
    ],
    [
      'allowing a rollback it forbids',
      { ...valid, allow: ['rollback'], forbidRollback: true },
      [['freeze.rollback-conflict', 'forbidRollback']],
    ],
    ['an unknown field', { ...valid, owner: 'me' }, [['freeze.unknown-field', 'owner']]],
    [
      'an unknown schedule field',
      withSchedule({ start: '2026-12-20T00:00Z', end: '2026-12-21T00:00Z', every: 'day' }),
      [['freeze.unknown-field', 'schedule.every']],
    ],
    ['an unknown level', { ...valid, level: 'medium' }, [['freeze.invalid-field', 'level']]],
    ['an unknown change kind', { ...valid, allow: ['restart'] }, [['freeze.invalid-field', 'allow[0]']]],
    [
      'a recurring schedule without a zone',
      withSchedule({ rrule: 'FREQ=DAILY', duration: 'PT1H' }),
      [['freeze.invalid-field', 'schedule.timezone']],
    ],
  ])('%s is reported', (_, input, expected) => {
    expect(codes(input)).toEqual(expected);
  });

  it('reports every problem at once', () => {
    const found = codes({
      id: 'Bad Id',
      name: '',
      scope: { environments: ['a b'] },
      schedule: { rrule: 'FREQ=DAILY;BYHOUR=25', duration: 'PT0S', timezone: 'Mars/Base' },
      level: 'medium',
      allow: ['rollback'],
      forbidRollback: true,
    }).map(([code]) => code);
    expect(found).toEqual([
      'freeze.invalid-field',
      'freeze.invalid-field',
      'freeze.bad-glob',
      'freeze.bad-rrule',
      'freeze.duration-not-positive',
      'freeze.unknown-timezone',
      'freeze.invalid-field',
      'freeze.rollback-conflict',
    ]);
  });

  it('is refused when not an object at all', () => {
    expect(codes('weekend')).toEqual([['freeze.invalid-field', '']]);
    expect(codes({ ...valid, schedule: 'weekly' })).toEqual([['freeze.invalid-field', 'schedule']]);
  });

  it('knows a recurring schedule from a one-off one, and runs in-flight rollouts with pause by default', () => {
    const weekly = recurring('w', 'FREQ=WEEKLY', 'PT1H', 'UTC');
    const once = oneOff('o', '2026-01-01T00:00Z', '2026-01-02T00:00Z', { inFlight: 'continue' });
    expect(isRecurring(weekly.schedule)).toBe(true);
    expect(isRecurring(once.schedule)).toBe(false);
    expect(inFlightOf(weekly)).toBe('pause');
    expect(inFlightOf(once)).toBe('continue');
  });
});

describe('a calendar of windows', () => {
  it('is valid when every window is and ids are unique', () => {
    const result = validateFreezeWindows([valid, { ...valid, id: 'other' }]);
    expect(result.ok).toBe(true);
  });

  it('reports each window by index, and ids used twice', () => {
    const result = validateFreezeWindows([valid, { ...valid, level: 'x' }, valid]);
    expect(result.ok ? [] : result.problems.map((p) => [p.code, p.path])).toEqual([
      ['freeze.invalid-field', '[1].level'],
      ['freeze.duplicate-id', '[2].id'],
    ]);
  });

  it('reports a window that is not an object at its index', () => {
    const result = validateFreezeWindows([42]);
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual(['[0]']);
  });
});
