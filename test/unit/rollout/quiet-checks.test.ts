import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlarmReading, AlarmState } from '#domain/rollout/events.ts';
import { durationMs } from '#domain/rollout/iso-duration.ts';
import { nextStep, type FreezeHold, type SinkReading } from '#domain/rollout/next-step.ts';
import {
  mayBeQuiet,
  QUIET_STRETCH_MS,
  quietChecks,
  readingFingerprint,
} from '#domain/rollout/quiet-checks.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import { strategySchema, type Strategy } from '#domain/rollout/strategy.ts';
import { atMinute, deployed, stream, T0, type Draft } from './fixtures.ts';

const MINUTE = 60_000;

interface Shape {
  bake?: string;
  interval?: string;
  finalWatch?: string;
  /** Only the `first` phase: it is the last one, so the final watch applies to it. */
  single?: boolean;
  insufficientData?: 'unknown' | 'ignore';
  automatic?: boolean;
}

/** `first` (dev, `bake`) then `second` (prod-eu, PT10M), or `first` alone. */
const strategyOf = (shape: Shape = {}): Strategy =>
  strategySchema.parse({
    name: 'quiet',
    phases: [
      { name: 'first', environments: ['dev'], bake: shape.bake ?? 'PT10M' },
      ...(shape.single ? [] : [{ name: 'second', environments: ['prod-eu'], bake: 'PT10M' }]),
    ],
    health: {
      alarms: ['{env}-5xx'],
      interval: shape.interval ?? 'PT1M',
      insufficientData: shape.insufficientData ?? 'unknown',
    },
    ...(shape.finalWatch === undefined ? {} : { finalWatch: shape.finalWatch }),
    rollback: { automatic: shape.automatic ?? true },
  });

/** `first` deployed to dev at minute 0: its bake runs from T0. */
const baking = (strategy: Strategy): Array<[number, Draft]> => [
  [
    0,
    {
      type: 'RolloutStarted',
      rolloutId: 'ro-1',
      bundle: { name: 'b', version: '1', hash: 'h' },
      strategy,
      environmentsBefore: {},
      by: 'olivia',
    },
  ],
  [0, { type: 'PhaseStarted', phase: 'first' }],
  [0, deployed('first', 'dev')],
];
const stored = (minute: number, state: AlarmState = 'OK'): [number, Draft] => [
  minute,
  {
    type: 'HealthChecked',
    phase: 'first',
    verdict: 'healthy',
    alarms: [{ name: 'dev-5xx', state }],
    consecutiveUnknown: 0,
  },
];
const reading = (state: AlarmState): AlarmReading[] => [{ name: 'dev-5xx', state }];
const hold = (inFlight: 'pause' | 'finish-phase'): FreezeHold => ({
  environment: 'prod-eu',
  windows: [{ id: 'frz-1', name: 'Incident freeze', inFlight, end: atMinute(30) }],
});
const freezeApplied: Array<[number, Draft]> = [
  [1, { type: 'FreezeApplied', policy: 'pause', windows: ['frz-1'] }],
  [1, { type: 'Paused', by: 'freeze', reason: 'held by Incident freeze' }],
];

interface Case {
  name: string;
  shape?: Shape;
  /** Events after `baking`. */
  events?: Array<[number, Draft]>;
  minute: number;
  alarms?: AlarmReading[] | 'unavailable';
  holds?: FreezeHold[];
  sinks?: SinkReading[];
  /** Minutes since T0 of the next freeze calendar change. */
  freezeChange?: number;
  quiet: number;
}

/**
 * As Decide does: this check's step is appended first, then the stretch is counted from the state
 * after it, with the same reading, holds and sinks.
 */
const afterCheck = (c: Case) => {
  const strategy = strategyOf(c.shape);
  const state = reduceRollout(stream([...baking(strategy), ...(c.events ?? [])]));
  expect(state.anomalies).toEqual([]);
  const now = Date.parse(atMinute(c.minute));
  const input = {
    strategy,
    now,
    alarms: c.alarms ?? reading('OK'),
    holds: c.holds ?? [],
    ...(c.sinks ? { sinks: c.sinks } : {}),
  };
  const step = nextStep({ ...input, state });
  const after = reduceRollout(
    step.drafts.map((d, i) => ({ ...d, at: atMinute(c.minute), seq: state.lastSeq + 1 + i })),
    state,
  );
  expect(after.anomalies).toEqual([]);
  const freezeChange = c.freezeChange === undefined ? null : Date.parse(atMinute(c.freezeChange));
  return { input: { ...input, state: after, freezeChange }, before: state };
};

// One check is kept in hand: N quiet checks ahead → N - 1 skipped (each case says which checks are quiet).
const cases: Case[] = [
  {
    name: 'PT10M bake, checked at minute 2: 3-9 continue, 10 advances → 7 quiet, 6 skipped',
    events: [stored(1)],
    minute: 2,
    quiet: 6,
  },
  {
    name: 'the first reading of the phase: this check records it, the stretch counts from there',
    minute: 2,
    quiet: 6,
  },
  {
    name: 'a healthy reading that changed: this check records it, the stretch counts from there',
    events: [stored(1, 'INSUFFICIENT_DATA')],
    shape: { insufficientData: 'ignore' },
    minute: 2,
    quiet: 6,
  },
  {
    name: 'the final watch does not extend a phase that is not the last',
    shape: { finalWatch: 'PT5M' },
    events: [stored(1)],
    minute: 2,
    quiet: 6,
  },
  {
    name: 'the last phase watches PT10M + PT5M: 3-14 continue, 15 succeeds → 11',
    shape: { single: true, finalWatch: 'PT5M' },
    events: [stored(1)],
    minute: 2,
    quiet: 11,
  },
  {
    name: 'in the final watch already: 13-14 continue → 1',
    shape: { single: true, finalWatch: 'PT5M' },
    events: [stored(11)],
    minute: 12,
    quiet: 1,
  },
  {
    name: 'one check before the bake end: only the check in hand is left → 0',
    events: [stored(7)],
    minute: 8,
    quiet: 0,
  },
  {
    name: 'a PT3M interval: 5 and 8 continue, 11 advances → 1',
    shape: { interval: 'PT3M' },
    events: [stored(1)],
    minute: 2,
    quiet: 1,
  },
  {
    name: 'the freeze calendar changes at minute 7, on a check: 3-6 before it → 3',
    events: [stored(1)],
    minute: 2,
    freezeChange: 7,
    quiet: 3,
  },
  {
    name: 'the freeze calendar changes at minute 7.5, between checks: 3-7 before it → 4',
    events: [stored(1)],
    minute: 2,
    freezeChange: 7.5,
    quiet: 4,
  },
  {
    name: 'a freeze change after the bake end changes nothing',
    events: [stored(1)],
    minute: 2,
    freezeChange: 30,
    quiet: 6,
  },
  {
    name: 'AppConfig done deploying: the stretch is the bake',
    events: [stored(1)],
    minute: 2,
    sinks: [{ environment: 'dev', state: 'complete' }],
    quiet: 6,
  },
  {
    name: 'AppConfig deploying: GetDeployment is polled at every check',
    events: [stored(1)],
    minute: 2,
    sinks: [
      { environment: 'dev', state: 'complete' },
      { environment: 'prod-eu', state: 'deploying' },
    ],
    quiet: 0,
  },
  {
    name: 'AppConfig pending: GetDeployment is polled at every check',
    events: [stored(1)],
    minute: 2,
    sinks: [{ environment: 'dev', state: 'pending' }],
    quiet: 0,
  },
  {
    name: 'monitoring unavailable: every check counts towards the unknown policy',
    events: [
      [1, { type: 'HealthChecked', phase: 'first', verdict: 'unknown', alarms: [], consecutiveUnknown: 1 }],
    ],
    minute: 2,
    alarms: 'unavailable',
    quiet: 0,
  },
  {
    name: 'INSUFFICIENT_DATA under policy unknown: each check writes its consecutive unknowns',
    events: [stored(1)],
    minute: 2,
    alarms: reading('INSUFFICIENT_DATA'),
    quiet: 0,
  },
  {
    name: 'INSUFFICIENT_DATA under policy ignore reads as healthy',
    shape: { insufficientData: 'ignore' },
    events: [stored(1, 'INSUFFICIENT_DATA')],
    minute: 2,
    alarms: reading('INSUFFICIENT_DATA'),
    quiet: 6,
  },
  {
    name: 'an ALARM reading rolls back at this check',
    events: [stored(1)],
    minute: 2,
    alarms: reading('ALARM'),
    quiet: 0,
  },
  {
    name: 'an ALARM reading with automatic rollback off pauses at this check',
    shape: { automatic: false },
    events: [stored(1)],
    minute: 2,
    alarms: reading('ALARM'),
    quiet: 0,
  },
  {
    name: 'paused by an operator: the workflow waits for resume',
    events: [stored(1), [1, { type: 'Paused', by: 'olivia', reason: 'lunch' }]],
    minute: 2,
    quiet: 0,
  },
  {
    name: 'rolling back',
    events: [stored(1), [1, { type: 'AbortRequested', by: 'olivia', reason: 'wrong bundle' }]],
    minute: 2,
    quiet: 0,
  },
  {
    name: 'a finish-phase freeze ahead lets the bake go on quietly, up to its end',
    events: [stored(1)],
    minute: 2,
    holds: [hold('finish-phase')],
    freezeChange: 30,
    quiet: 6,
  },
  {
    name: 'a pause freeze ahead, applied at this check: quiet until the calendar changes (3-29 → 26)',
    events: [stored(1)],
    minute: 2,
    holds: [hold('pause')],
    freezeChange: 30,
    quiet: 26,
  },
  {
    name: 'paused by a freeze that still holds: quiet past the bake end, until the calendar changes',
    events: [stored(1), ...freezeApplied],
    minute: 2,
    holds: [hold('pause')],
    freezeChange: 30,
    quiet: 26,
  },
  {
    name: 'paused by a freeze that no longer holds: this check resumes, the bake goes on',
    events: [stored(1), ...freezeApplied],
    minute: 2,
    quiet: 6,
  },
];

describe('quietChecks: how many checks the workflow may skip Decide for', () => {
  it.each(cases)('$name', (c) => {
    expect(quietChecks(afterCheck(c).input)).toBe(c.quiet);
  });

  it('counts from the state after this check: before its events are appended, every check writes', () => {
    const { input, before } = afterCheck({ name: 'first reading', minute: 2, quiet: 6 });
    expect(quietChecks(input)).toBe(6);
    expect(quietChecks({ ...input, state: before })).toBe(0);
  });
});

describe('the stretch is capped so that Decide runs at least every QUIET_STRETCH_MS', () => {
  // The cap is floor(QUIET_STRETCH_MS / interval) checks, the one in hand included: every check the
  // count relies on lies within QUIET_STRETCH_MS, the horizon the freeze calendar is read for
  // (rollout-freeze.ts: boundaryAfter(now, now + QUIET_STRETCH_MS)), and the next Decide is due at
  // most QUIET_STRETCH_MS after this one.
  it.each([
    // P1D, PT1M: 360 checks in 6 h, the 360th in hand → 359 skipped, Decide again at 6 h.
    { bake: 'P1D', interval: 'PT1M', quiet: 359 },
    // PT7M: floor(360 / 7) = 51 checks (5 h 57 min), the 51st in hand → 50.
    { bake: 'P1D', interval: 'PT7M', quiet: 50 },
    // PT6H: the one check of the stretch is the one in hand → 0, Decide again at 6 h (not 12 h).
    { bake: 'P1D', interval: 'PT6H', quiet: 0 },
  ])('a $bake bake checked every $interval skips $quiet checks', ({ bake, interval, quiet }) => {
    const { input } = afterCheck({ name: bake, shape: { bake, interval }, minute: 0, quiet });
    expect(quietChecks(input)).toBe(quiet);
    expect((quiet + 1) * durationMs(interval)).toBeLessThanOrEqual(QUIET_STRETCH_MS);
  });

  it('paused by a freeze longer than the stretch: capped too', () => {
    const { input } = afterCheck({
      name: 'long freeze',
      events: [stored(1), ...freezeApplied],
      minute: 2,
      holds: [hold('pause')],
      quiet: 359,
    });
    expect(quietChecks(input)).toBe(359);
  });
});

describe('readingFingerprint', () => {
  // The real "Alarms Found?", "Read Health" and "No Alarm Found" states, run on aws-local-stepfunctions.
  const asl = JSON.parse(
    readFileSync(new URL('../../../statemachines/progressive-rollout.asl.json', import.meta.url), 'utf8'),
  ) as {
    States: Record<string, Record<string, unknown>>;
  };
  const ending = (name: string) => ({ ...asl.States[name], End: true, Next: undefined });
  const machine = new StateMachine({
    StartAt: 'Alarms Found?',
    States: JSON.parse(
      JSON.stringify({
        'Alarms Found?': asl.States['Alarms Found?'],
        'Read Health': ending('Read Health'),
        'No Alarm Found': ending('No Alarm Found'),
      }),
    ) as never,
  });
  const fingerprintOf = async (described: { MetricAlarms?: { AlarmName: string; StateValue: string }[] }) =>
    (
      (await machine.run({ health: { available: true, described } }).result) as {
        reading: { fingerprint: string };
      }
    ).reading.fingerprint;

  it.each([[['OK']], [['OK', 'ALARM', 'INSUFFICIENT_DATA']], [[]]])(
    'matches what States.JsonToString writes for %j',
    async (states) => {
      const MetricAlarms = states.map((StateValue, i) => ({ AlarmName: `a${i}`, StateValue }));
      expect(readingFingerprint(states)).toBe(await fingerprintOf({ MetricAlarms }));
    },
  );

  it('reads an answer without MetricAlarms as no states', async () => {
    expect(await fingerprintOf({})).toBe(readingFingerprint([]));
  });

  it('is compact JSON, in DescribeAlarms order', () => {
    expect(readingFingerprint(['OK', 'ALARM'])).toBe('["OK","ALARM"]');
    expect(readingFingerprint(['ALARM', 'OK'])).not.toBe(readingFingerprint(['OK', 'ALARM']));
  });
});

describe('quietChecks never skips a check that would decide something', () => {
  const isQuiet = (state: RolloutState, strategy: Strategy, at: number): boolean => {
    const step = nextStep({ state, strategy, now: at, alarms: reading('OK'), holds: [] });
    return step.action === 'continue' && step.drafts.length === 0;
  };

  it('every check up to the one in hand is quiet, and the stretch stops at the first that is not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 180 }),
        fc.constantFrom(1, 5),
        fc.boolean(),
        fc.constantFrom(undefined, 'PT5M', 'PT30M'),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        fc.option(fc.integer({ min: 1, max: 240 * MINUTE })),
        (bakeMinutes, intervalMinutes, single, finalWatch, progress, changeIn) => {
          fc.pre(bakeMinutes >= intervalMinutes);
          const strategy = strategyOf({
            bake: `PT${bakeMinutes}M`,
            interval: `PT${intervalMinutes}M`,
            single,
            ...(finalWatch === undefined ? {} : { finalWatch }),
          });
          const state = reduceRollout(stream([...baking(strategy), stored(0)]));
          const intervalMs = intervalMinutes * MINUTE;
          const now = Date.parse(T0) + Math.floor(progress * bakeMinutes * MINUTE);
          const freezeChange = changeIn === null ? null : now + changeIn;
          const quiet = quietChecks({ state, strategy, now, alarms: reading('OK'), holds: [], freezeChange });
          const checkAt = (k: number): number => now + k * intervalMs;
          const beforeChange = (k: number): boolean => freezeChange === null || checkAt(k) < freezeChange;
          // The skipped checks and the one in hand: all quiet, all before the calendar changes.
          for (let k = 1; k <= (quiet > 0 ? quiet + 1 : 0); k += 1) {
            expect(isQuiet(state, strategy, checkAt(k))).toBe(true);
            expect(beforeChange(k)).toBe(true);
          }
          expect((quiet + 1) * intervalMs).toBeLessThanOrEqual(QUIET_STRETCH_MS);
          // Not one check fewer than allowed: the next one decides, or the calendar or the cap stops it.
          const capped = quiet + 1 === Math.floor(QUIET_STRETCH_MS / intervalMs);
          expect(!isQuiet(state, strategy, checkAt(quiet + 2)) || !beforeChange(quiet + 2) || capped).toBe(
            true,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('mayBeQuiet: whether an operator action must kick the workflow out of a quiet stretch', () => {
  const strategy = strategyOf();
  it.each<[string, Array<[number, Draft]>, boolean]>([
    ['a phase baking', baking(strategy), true],
    ['pending, nothing deployed', baking(strategy).slice(0, 1), false],
    ['a phase still deploying', baking(strategy).slice(0, 2), false],
    [
      'paused (a token wait answers it)',
      [...baking(strategy), [1, { type: 'Paused', reason: 'look' }]],
      false,
    ],
    ['rolling back', [...baking(strategy), [1, { type: 'RollbackStarted', reason: 'ALARM dev-5xx' }]], false],
    [
      'awaiting approval (the loop keeps watching)',
      [
        ...baking(strategy),
        [1, { type: 'PhaseBaked', phase: 'dev' }],
        [1, { type: 'ApprovalRequested', phase: 'dev' }],
      ],
      true,
    ],
  ])('%s → %s', (_name, drafts, expected) => {
    expect(mayBeQuiet(reduceRollout(stream(drafts)))).toBe(expected);
  });
});
