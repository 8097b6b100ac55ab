import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '#domain/rollout/decide.ts';
import type { DecideInput } from '#domain/rollout/decide.ts';
import type { AlarmReading } from '#domain/rollout/events.ts';
import type { HealthPolicy } from '#domain/rollout/strategy.ts';

const policy: HealthPolicy = {
  alarms: ['{env}-5xx', '{env}-p99'],
  interval: 'PT1M',
  insufficientData: 'unknown',
  unknown: { after: 3, action: 'pause' },
};
const ok: AlarmReading[] = [
  { name: 'prod-eu-5xx', state: 'OK' },
  { name: 'prod-eu-p99', state: 'OK' },
];
const with5xx = (state: AlarmReading['state']): AlarmReading[] => [{ name: 'prod-eu-5xx', state }, ok[1]!];
const MIN = 60_000;
const input = (patch: Partial<DecideInput> = {}): DecideInput => ({
  alarms: ok,
  consecutiveUnknown: 0,
  bakedMs: 10 * MIN,
  bakeMs: 30 * MIN,
  policy,
  ...patch,
});

describe('decide: one health check', () => {
  it.each<[string, Partial<DecideInput>, string, string, number, RegExp]>([
    ['all OK, bake under way → continue', {}, 'continue', 'healthy', 0, /baking, PT20M left/],
    ['all OK, bake complete → advance', { bakedMs: 30 * MIN }, 'advance', 'healthy', 0, /bake complete/],
    ['all OK, past the bake → advance', { bakedMs: 31 * MIN }, 'advance', 'healthy', 0, /bake complete/],
    [
      'healthy resets the unknown count',
      { consecutiveUnknown: 2 },
      'continue',
      'healthy',
      0,
      /all alarms OK/,
    ],
    ['promoted and healthy → advance early', { promoted: true }, 'advance', 'healthy', 0, /promoted/],
    [
      'paused and healthy → continue, never advance',
      { paused: true, bakedMs: 40 * MIN },
      'continue',
      'healthy',
      0,
      /paused/,
    ],
    ['paused beats promoted', { paused: true, promoted: true }, 'continue', 'healthy', 0, /paused/],
    [
      'any ALARM → rollback naming the alarm',
      { alarms: with5xx('ALARM') },
      'rollback',
      'unhealthy',
      0,
      /ALARM prod-eu-5xx/,
    ],
    [
      'ALARM even when the bake is complete',
      { alarms: with5xx('ALARM'), bakedMs: 30 * MIN },
      'rollback',
      'unhealthy',
      0,
      /ALARM/,
    ],
    [
      'ALARM while paused still rolls back',
      { alarms: with5xx('ALARM'), paused: true },
      'rollback',
      'unhealthy',
      0,
      /ALARM/,
    ],
    [
      'ALARM wins over a missing alarm',
      { alarms: [{ name: 'prod-eu-5xx', state: 'ALARM' }], expected: ['prod-eu-5xx', 'prod-eu-p99'] },
      'rollback',
      'unhealthy',
      0,
      /ALARM prod-eu-5xx/,
    ],
    [
      'DescribeAlarms unavailable → unknown, counted',
      { alarms: 'unavailable' },
      'continue',
      'unknown',
      1,
      /monitoring unavailable.*1 of 3/,
    ],
    [
      'unavailable on a complete bake never advances',
      { alarms: 'unavailable', bakedMs: 30 * MIN },
      'continue',
      'unknown',
      1,
      /unavailable/,
    ],
    [
      'unavailable while promoted never advances',
      { alarms: 'unavailable', promoted: true },
      'continue',
      'unknown',
      1,
      /unavailable/,
    ],
    [
      'a missing alarm → unknown',
      { alarms: [ok[0]!], expected: ['prod-eu-5xx', 'prod-eu-p99'] },
      'continue',
      'unknown',
      1,
      /not found: prod-eu-p99/,
    ],
    ['no alarm returned at all → unknown', { alarms: [] }, 'continue', 'unknown', 1, /no alarm was returned/],
    [
      'unknown for the 3rd time in a row → pause (policy)',
      { alarms: 'unavailable', consecutiveUnknown: 2 },
      'pause',
      'unknown',
      3,
      /3 of 3/,
    ],
    [
      'unknown beyond the limit keeps applying the policy',
      { alarms: 'unavailable', consecutiveUnknown: 7 },
      'pause',
      'unknown',
      8,
      /8 of 3/,
    ],
    [
      'unknown at the limit while already paused → continue',
      { alarms: 'unavailable', consecutiveUnknown: 2, paused: true },
      'continue',
      'unknown',
      3,
      /already paused/,
    ],
    [
      'unknown at the limit with action rollback → rollback',
      {
        alarms: 'unavailable',
        consecutiveUnknown: 2,
        policy: { ...policy, unknown: { after: 3, action: 'rollback' } },
      },
      'rollback',
      'unknown',
      3,
      /3 of 3/,
    ],
    [
      'INSUFFICIENT_DATA as unknown → unknown',
      { alarms: with5xx('INSUFFICIENT_DATA') },
      'continue',
      'unknown',
      1,
      /INSUFFICIENT_DATA prod-eu-5xx/,
    ],
    [
      'INSUFFICIENT_DATA as unhealthy → rollback',
      { alarms: with5xx('INSUFFICIENT_DATA'), policy: { ...policy, insufficientData: 'unhealthy' } },
      'rollback',
      'unhealthy',
      0,
      /INSUFFICIENT_DATA prod-eu-5xx/,
    ],
    [
      'INSUFFICIENT_DATA ignored → treated as OK',
      {
        alarms: with5xx('INSUFFICIENT_DATA'),
        policy: { ...policy, insufficientData: 'ignore' },
        bakedMs: 30 * MIN,
      },
      'advance',
      'healthy',
      0,
      /bake complete/,
    ],
    [
      'automatic rollback off: ALARM → pause',
      { alarms: with5xx('ALARM'), automaticRollback: false },
      'pause',
      'unhealthy',
      0,
      /automatic rollback is off/,
    ],
    [
      'automatic rollback off and paused: ALARM → continue',
      { alarms: with5xx('ALARM'), automaticRollback: false, paused: true },
      'continue',
      'unhealthy',
      0,
      /already paused/,
    ],
  ])('%s', (_rule, patch, action, verdict, consecutiveUnknown, reason) => {
    const decision = decide(input(patch));
    expect(decision).toMatchObject({ action, verdict, consecutiveUnknown });
    expect(decision.reason).toMatch(reason);
  });

  const arbitraryInput = fc.record({
    alarms: fc.oneof(
      fc.constant('unavailable' as const),
      fc.array(
        fc.record({
          name: fc.constantFrom('prod-eu-5xx', 'prod-eu-p99', 'other'),
          state: fc.constantFrom('OK' as const, 'ALARM' as const, 'INSUFFICIENT_DATA' as const),
        }),
        { maxLength: 4 },
      ),
    ),
    expected: fc.option(fc.subarray(['prod-eu-5xx', 'prod-eu-p99']), { nil: undefined }),
    consecutiveUnknown: fc.nat(10),
    bakedMs: fc.nat(100 * MIN),
    bakeMs: fc.nat(100 * MIN),
    policy: fc.record({
      alarms: fc.constant(policy.alarms),
      interval: fc.constant('PT1M'),
      insufficientData: fc.constantFrom('unknown' as const, 'unhealthy' as const, 'ignore' as const),
      unknown: fc.record({
        after: fc.integer({ min: 1, max: 5 }),
        action: fc.constantFrom('pause' as const, 'rollback' as const),
      }),
    }),
    paused: fc.option(fc.boolean(), { nil: undefined }),
    promoted: fc.option(fc.boolean(), { nil: undefined }),
    automaticRollback: fc.option(fc.boolean(), { nil: undefined }),
  });

  it('never advances unless the verdict is healthy, and never while paused (property)', () => {
    fc.assert(
      fc.property(arbitraryInput, (i) => {
        const d = decide(i);
        if (d.action === 'advance') {
          expect(d.verdict).toBe('healthy');
          expect(i.paused).not.toBe(true);
        }
      }),
    );
  });

  it('is never healthy when monitoring is unavailable, and always rolls back on ALARM (property)', () => {
    fc.assert(
      fc.property(arbitraryInput, (i) => {
        const d = decide(i);
        if (i.alarms === 'unavailable') expect(d.verdict).toBe('unknown');
        const firing = i.alarms !== 'unavailable' && i.alarms.some((a) => a.state === 'ALARM');
        if (firing) expect(d.verdict).toBe('unhealthy');
        if (firing && i.automaticRollback !== false) expect(d.action).toBe('rollback');
      }),
    );
  });

  it('counts unknowns in a row and resets on anything else (property)', () => {
    fc.assert(
      fc.property(arbitraryInput, (i) => {
        const d = decide(i);
        expect(d.consecutiveUnknown).toBe(d.verdict === 'unknown' ? i.consecutiveUnknown + 1 : 0);
      }),
    );
  });
});
