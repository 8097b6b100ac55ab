import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeKinds, type ChangeKind } from '#domain/freeze/change-kind.ts';
import { compileWindows, freezeStatus, type FreezeQuery } from '#domain/freeze/freeze-status.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import { LEVEL_CHANGE_HORIZON_MS } from '#domain/freeze/next-change.ts';
import { validateFreezeWindow } from '#domain/freeze/window-validation.ts';
import { Oracle } from './support/oracle.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
];
/** Days around which clocks change somewhere, and two ordinary ones. */
const BASES = [
  '2026-03-08T06:00:00Z',
  '2026-03-29T00:30:00Z',
  '2026-04-05T00:00:00Z',
  '2026-10-04T00:00:00Z',
  '2026-10-25T00:30:00Z',
  '2026-11-01T05:30:00Z',
  '2026-12-31T23:00:00Z',
  '2026-06-15T12:00:00Z',
].map((t) => Date.parse(t));
const RULES = [
  'FREQ=DAILY',
  'FREQ=WEEKLY;BYDAY=FR',
  'FREQ=WEEKLY;BYDAY=SA,SU',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO',
  'FREQ=MONTHLY;BYDAY=-1SU',
  'FREQ=MONTHLY;BYMONTHDAY=1',
  'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31',
  'FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
];
const DURATIONS = ['PT30M', 'PT1H', 'PT90M', 'PT8H', 'P1D', 'P2DT16H', 'P1DT1H'];

const localText = (wall: number): string => new Date(wall).toISOString().slice(0, 16);

const scopeArb = fc.record(
  {
    environments: fc.constantFrom(['prod-*'], ['dev'], ['**'], ['prod-eu', 'dev']),
    namespaces: fc.constantFrom(['pay*'], ['identity']),
    changeKinds: fc.constantFrom(['deploy'], ['flag*'], ['*']),
  },
  { requiredKeys: [] },
);

const common = {
  scope: scopeArb,
  level: fc.constantFrom('hard' as const, 'soft' as const),
  allow: fc.option(fc.subarray([...changeKinds], { maxLength: 2 }), { nil: undefined }),
  forbidRollback: fc.option(fc.boolean(), { nil: undefined }),
};

const oneOffArb = (base: number) =>
  fc
    .record({
      ...common,
      zone: fc.constantFrom(...ZONES),
      local: fc.boolean(),
      offset: fc.integer({ min: -3 * 24 * 60, max: 3 * 24 * 60 }),
      length: fc.integer({ min: 1, max: 4 * 24 * 60 }),
    })
    .map(({ zone, local, offset, length, ...rest }) => {
      const start = base + offset * MINUTE;
      const end = start + length * MINUTE;
      const schedule = local
        ? { start: localText(start), end: localText(end), timezone: zone }
        : { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
      return { ...rest, schedule };
    });

const recurringArb = (base: number) =>
  fc
    .record({
      ...common,
      zone: fc.constantFrom(...ZONES),
      rule: fc.constantFrom(...RULES),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.constantFrom(0, 15, 30, 45),
      duration: fc.constantFrom(...DURATIONS),
      start: fc.option(fc.integer({ min: -900, max: 0 }), { nil: undefined }),
      until: fc.option(fc.integer({ min: -10, max: 20 }), { nil: undefined }),
    })
    .map(({ zone, rule, hour, minute, duration, start, until, ...rest }) => ({
      ...rest,
      schedule: {
        rrule: `${rule};BYHOUR=${hour};BYMINUTE=${minute}`,
        duration,
        timezone: zone,
        ...(start === undefined ? {} : { start: localText(base + start * DAY) }),
        ...(until === undefined ? {} : { until: new Date(base + until * DAY).toISOString() }),
      },
    }));

const scenario = fc.constantFrom(...BASES).chain((base) =>
  fc.record({
    base: fc.constant(base),
    windows: fc.array(fc.oneof(oneOffArb(base), recurringArb(base)), { minLength: 1, maxLength: 5 }),
    query: fc.record(
      {
        environment: fc.constantFrom('prod-eu', 'dev'),
        namespaces: fc.constantFrom([], ['payments'], ['identity', 'search']),
        kind: fc.constantFrom<ChangeKind>(...changeKinds),
      },
      { requiredKeys: ['environment'] },
    ),
    offsets: fc.array(fc.integer({ min: -2 * 24 * 60, max: 4 * 24 * 60 }), { minLength: 1, maxLength: 6 }),
    boundaryPicks: fc.array(fc.nat(), { maxLength: 4 }),
  }),
);

const materialize = (raw: unknown[]): FreezeWindow[] =>
  raw.flatMap((input, i) => {
    const result = validateFreezeWindow({ id: `w${i}`, name: `w${i}`, ...(input as object) });
    return result.ok ? [result.window] : [];
  });

describe('freezeStatus agrees with a brute-force oracle', () => {
  it('frozen at t iff some window contains t and matches the scope; level, windows, allowed kinds and next change too', () => {
    fc.assert(
      fc.property(scenario, ({ base, windows: raw, query, offsets, boundaryPicks }) => {
        const windows = materialize(raw);
        const oracle = new Oracle(windows, base - 10 * DAY, base + 410 * DAY);
        const compiled = compileWindows(windows);
        const boundaries = oracle.boundaries(base - 3 * DAY, base + 5 * DAY);
        const instants = [
          ...offsets.map((m) => base + m * MINUTE),
          ...boundaryPicks.flatMap((p) =>
            boundaries.length === 0
              ? []
              : [boundaries[p % boundaries.length]!, boundaries[p % boundaries.length]! - 1],
          ),
        ];
        for (const at of instants) {
          const actual = compiled.status(query, at);
          const expected = oracle.status(query, at);
          expect({
            frozen: actual.frozen,
            level: actual.level,
            ids: actual.windows.map((w) => w.id).sort(),
            allowedKinds: actual.allowedKinds,
          }).toEqual(expected);
          const next = oracle.nextChange(query, at, at + LEVEL_CHANGE_HORIZON_MS);
          if (next !== null) expect(actual.nextChange).toBe(new Date(next).toISOString());
          else if (actual.nextChange !== null)
            expect(Date.parse(actual.nextChange)).toBeGreaterThan(at + LEVEL_CHANGE_HORIZON_MS);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('compiled windows cache occurrences invisibly', () => {
  it('a compiled calendar queried at scattered instants answers as a fresh one (property)', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.array(fc.integer({ min: -800, max: 2500 }), { minLength: 2, maxLength: 8 }),
        ({ base, windows: raw, query }, days) => {
          const windows = materialize(raw);
          const compiled = compileWindows(windows);
          for (const d of days) {
            const at = base + d * DAY + (d % 7) * 3_600_000;
            expect(compiled.status(query as FreezeQuery, at)).toEqual(
              freezeStatus(windows, query as FreezeQuery, at),
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
