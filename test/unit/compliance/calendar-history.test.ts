import { describe, expect, it } from 'vitest';
import {
  alwaysHeld,
  calendarHistory,
  heldAt,
  type CalendarChange,
} from '#domain/compliance/calendar-history.ts';
import { oneOff } from '../freeze/support/windows.ts';

const a1 = oneOff('a', '2026-12-20T00:00Z', '2027-01-05T00:00Z');
const a2 = oneOff('a', '2026-12-22T00:00Z', '2027-01-05T00:00Z', { level: 'soft' });
const b = oneOff('b', '2026-12-01T00:00Z', '2027-01-01T00:00Z');

const added = (at: string, window = a1): CalendarChange => ({ type: 'added', at, window });
const removed = (at: string, window = a1): CalendarChange => ({ type: 'removed', at, window });

describe('the calendar history', () => {
  it.each([
    ['nothing recorded: no versions', [], []],
    [
      'an added window is held from then on',
      [added('2026-12-01T10:00:00Z')],
      [{ window: a1, since: '2026-12-01T10:00:00Z' }],
    ],
    [
      'a removal ends the version it removes',
      [added('2026-12-01T10:00:00Z'), removed('2026-12-05T10:00:00Z')],
      [{ window: a1, since: '2026-12-01T10:00:00Z', until: '2026-12-05T10:00:00Z' }],
    ],
    [
      'adding the same id again replaces it: the old version ends where the new one begins',
      [added('2026-12-01T10:00:00Z'), added('2026-12-03T10:00:00Z', a2)],
      [
        { window: a1, since: '2026-12-01T10:00:00Z', until: '2026-12-03T10:00:00Z' },
        { window: a2, since: '2026-12-03T10:00:00Z' },
      ],
    ],
    [
      'a removal whose addition was not read closes a window that was always there',
      [removed('2026-12-05T10:00:00Z', b)],
      [{ window: b, until: '2026-12-05T10:00:00Z' }],
    ],
    [
      'removed and added back: two versions',
      [added('2026-12-01T10:00:00Z'), removed('2026-12-02T10:00:00Z'), added('2026-12-03T10:00:00Z')],
      [
        { window: a1, since: '2026-12-01T10:00:00Z', until: '2026-12-02T10:00:00Z' },
        { window: a1, since: '2026-12-03T10:00:00Z' },
      ],
    ],
  ])('%s', (_, changes, expected) => {
    expect(calendarHistory(changes)).toEqual(expected);
  });

  it.each([
    ['before it was added', '2026-12-01T09:59:59.999Z', false],
    ['the instant it was added', '2026-12-01T10:00:00.000Z', true],
    ['while it was held', '2026-12-03T00:00:00.000Z', true],
    ['the instant it was removed', '2026-12-05T10:00:00.000Z', false],
    ['after it was removed', '2026-12-06T00:00:00.000Z', false],
  ])('a version is held %s: %s', (_, at, expected) => {
    const [version] = calendarHistory([added('2026-12-01T10:00:00Z'), removed('2026-12-05T10:00:00Z')]);
    expect(version && heldAt(version, Date.parse(at))).toBe(expected);
  });

  it('a calendar with no history holds its windows at every instant', () => {
    const [version] = alwaysHeld([b]);
    expect(version).toEqual({ window: b });
    expect(version && heldAt(version, 0)).toBe(true);
    expect(version && heldAt(version, Date.parse('2100-01-01T00:00:00Z'))).toBe(true);
  });
});
