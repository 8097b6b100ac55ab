import { describe, expect, it } from 'vitest';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import { nextEdge } from '#domain/freeze/window-edges.ts';

const oneOff: FreezeWindow = {
  id: 'launch',
  name: 'Launch',
  scope: {},
  schedule: { start: '2026-12-01T08:00:00Z', end: '2026-12-01T20:00:00Z' },
  level: 'hard',
};
const weekend: FreezeWindow = {
  id: 'weekend',
  name: 'Weekend',
  scope: {},
  schedule: { rrule: 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=18', duration: 'P2DT12H', timezone: 'Europe/Berlin' },
  level: 'hard',
};
const yearly: FreezeWindow = {
  id: 'new-year',
  name: 'New Year',
  scope: {},
  schedule: { rrule: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=30', duration: 'P4D', timezone: 'UTC' },
  level: 'hard',
};

describe('nextEdge', () => {
  it.each([
    [
      'before a one-off window: its start',
      oneOff,
      '2026-11-23T10:00:00Z',
      { at: '2026-12-01T08:00:00.000Z', edge: 'start' },
    ],
    [
      'at its start: its end',
      oneOff,
      '2026-12-01T08:00:00Z',
      { at: '2026-12-01T20:00:00.000Z', edge: 'end' },
    ],
    ['inside it: its end', oneOff, '2026-12-01T12:00:00Z', { at: '2026-12-01T20:00:00.000Z', edge: 'end' }],
    ['after it: none', oneOff, '2026-12-01T20:00:00Z', null],
    [
      'before a weekend: Friday 18:00 Berlin',
      weekend,
      '2026-11-23T10:00:00Z',
      { at: '2026-11-27T17:00:00.000Z', edge: 'start' },
    ],
    [
      'during a weekend: Monday 06:00 Berlin',
      weekend,
      '2026-11-28T10:00:00Z',
      { at: '2026-11-30T05:00:00.000Z', edge: 'end' },
    ],
    [
      'far from a yearly window: its next start',
      yearly,
      '2026-03-01T00:00:00Z',
      { at: '2026-12-30T00:00:00.000Z', edge: 'start' },
    ],
    ['not an instant: none', oneOff, 'soon', null],
  ])('%s', (_label, window, at, expected) => {
    expect(nextEdge(window, at)).toEqual(expected);
  });
});
