import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileWindows } from '#domain/freeze/freeze-status.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import { oneOff, recurring } from './support/windows.ts';

/** Instants of 2026-12-01, UTC. */
const at = (time: string): number => Date.parse(`2026-12-01T${time}:00.000Z`);
const iso = (instant: number | null): string | null =>
  instant === null ? null : new Date(instant).toISOString();
const day = (time: string): string => `2026-12-01T${time}:00Z`;

interface Case {
  name: string;
  windows: FreezeWindow[];
  from: string;
  limit: string;
  boundary: string | null;
}

const cases: Case[] = [
  {
    name: 'a one-off window ahead: its start',
    windows: [oneOff('ahead', day('10:00'), day('11:00'))],
    from: '09:00',
    limit: '15:00',
    boundary: '10:00',
  },
  {
    name: 'a window in force: its end',
    windows: [oneOff('now', day('08:00'), day('10:00'))],
    from: '09:00',
    limit: '15:00',
    boundary: '10:00',
  },
  {
    name: 'a window in force past the limit: null',
    windows: [oneOff('long', day('08:00'), day('20:00'))],
    from: '09:00',
    limit: '15:00',
    boundary: null,
  },
  {
    name: 'a window beyond the limit: null',
    windows: [oneOff('later', day('15:01'), day('16:00'))],
    from: '09:00',
    limit: '15:00',
    boundary: null,
  },
  {
    name: 'a window starting exactly at the limit: included',
    windows: [oneOff('edge', day('15:00'), day('16:00'))],
    from: '09:00',
    limit: '15:00',
    boundary: '15:00',
  },
  {
    name: 'a window ending exactly at the limit: included',
    windows: [oneOff('edge', day('08:00'), day('15:00'))],
    from: '09:00',
    limit: '15:00',
    boundary: '15:00',
  },
  {
    name: 'a window starting exactly now: its end (the interval is open at now)',
    windows: [oneOff('now', day('09:00'), day('10:00'))],
    from: '09:00',
    limit: '15:00',
    boundary: '10:00',
  },
  {
    name: 'a window that ended exactly now: null',
    windows: [oneOff('past', day('08:00'), day('09:00'))],
    from: '09:00',
    limit: '15:00',
    boundary: null,
  },
  {
    name: 'a recurring window: its next start',
    windows: [recurring('lunch', 'FREQ=DAILY;BYHOUR=13', 'PT1H', 'Europe/Berlin')],
    from: '09:00',
    limit: '15:00',
    boundary: '12:00',
  },
  {
    name: 'a recurring window in force: the end of this occurrence',
    windows: [recurring('lunch', 'FREQ=DAILY;BYHOUR=13', 'PT1H', 'Europe/Berlin')],
    from: '12:30',
    limit: '15:00',
    boundary: '13:00',
  },
  {
    name: 'windows of another environment count too: the scope is ignored',
    windows: [
      oneOff('staging', day('10:00'), day('11:00'), {
        scope: { environments: ['staging'], changeKinds: ['flag'] },
      }),
    ],
    from: '09:00',
    limit: '15:00',
    boundary: '10:00',
  },
  {
    name: 'several windows: the earliest boundary of any',
    windows: [
      oneOff('b', day('12:00'), day('13:00'), { scope: { environments: ['prod-*'] } }),
      oneOff('a', day('08:00'), day('11:30'), { scope: { environments: ['dev'] } }),
      recurring('lunch', 'FREQ=DAILY;BYHOUR=13', 'PT1H', 'Europe/Berlin'),
    ],
    from: '09:00',
    limit: '15:00',
    boundary: '11:30',
  },
  { name: 'no windows: null', windows: [], from: '09:00', limit: '15:00', boundary: null },
];

describe('boundaryAfter: the first instant in (at, limit] where any window starts or ends', () => {
  it.each(cases)('$name', (c) => {
    const boundary = compileWindows(c.windows).boundaryAfter(at(c.from), at(c.limit));
    expect(iso(boundary)).toBe(c.boundary === null ? null : new Date(at(c.boundary)).toISOString());
  });

  it('is the earliest start or end of one-off windows in (at, limit]', () => {
    const HOUR = 3_600_000;
    const base = at('00:00');
    const span = fc.tuple(fc.integer({ min: 0, max: 48 * HOUR }), fc.integer({ min: 1, max: 12 * HOUR }));
    fc.assert(
      fc.property(
        fc.array(span, { maxLength: 6 }),
        fc.integer({ min: 0, max: 48 * HOUR }),
        fc.integer({ min: 0, max: 12 * HOUR }),
        (spans, from, length) => {
          const windows = spans.map(([start, duration], i) =>
            oneOff(
              `w${i}`,
              new Date(base + start).toISOString(),
              new Date(base + start + duration).toISOString(),
            ),
          );
          const edges = spans
            .flatMap(([start, duration]) => [base + start, base + start + duration])
            .filter((edge) => edge > base + from && edge <= base + from + length);
          const expected = edges.length === 0 ? null : Math.min(...edges);
          expect(compileWindows(windows).boundaryAfter(base + from, base + from + length)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
