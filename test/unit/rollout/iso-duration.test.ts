import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  durationMs,
  formatIsoDuration,
  formatOffset,
  isoDurationSchema,
  parseIsoDuration,
} from '#domain/rollout/iso-duration.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('ISO 8601 durations', () => {
  it.each([
    ['PT5M', 5 * MIN],
    ['PT1H', HOUR],
    ['PT1H30M', 90 * MIN],
    ['P1D', DAY],
    ['P14D', 14 * DAY],
    ['P2W', 14 * DAY],
    ['P1DT12H', 36 * HOUR],
    ['PT30S', 30_000],
    ['PT0S', 0],
    ['PT90M', 90 * MIN],
    ['P3650D', 3650 * DAY],
  ])('%s is %d ms', (text, ms) => {
    expect(parseIsoDuration(text)).toEqual({ ok: true, ms });
    expect(durationMs(text)).toBe(ms);
  });

  it.each([
    ['P1Y', /years or months.*P30D/],
    ['P2M', /years or months/],
    ['P1Y2M3D', /years or months/],
    ['PT1.5S', /fraction of a second/],
    ['PT1,5S', /not an ISO 8601 duration/],
    ['P', /not an ISO 8601 duration/],
    ['PT', /not an ISO 8601 duration/],
    ['P1DT', /not an ISO 8601 duration/],
    ['5M', /not an ISO 8601 duration/],
    ['pt5m', /not an ISO 8601 duration/],
    ['PT5M1H', /not an ISO 8601 duration/],
    ['-PT5M', /not an ISO 8601 duration/],
    ['', /not an ISO 8601 duration/],
    ['PT1234567890H', /longer than ten years/],
    ['P3651D', /longer than ten years/],
  ])('%j is rejected with a message that says why', (text, why) => {
    const parsed = parseIsoDuration(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(why);
  });

  it('months are rejected for bake times with a message naming the alternative', () => {
    const result = isoDurationSchema.safeParse('P1M');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'custom', params: { rule: 'invalid-duration' } });
    expect(result.error?.issues[0]?.message).toContain('write days instead');
  });

  it('durationMs refuses text that never passed validation', () => {
    expect(() => durationMs('P1M')).toThrow(TypeError);
  });

  it.each([
    [0, 'PT0S'],
    [30_000, 'PT30S'],
    [5 * MIN, 'PT5M'],
    [90 * MIN, 'PT1H30M'],
    [DAY, 'P1D'],
    [DAY + HOUR + 1000, 'P1DT1H1S'],
    [-5, 'PT0S'],
  ])('%d ms formats as %s', (ms, text) => {
    expect(formatIsoDuration(ms)).toBe(text);
  });

  it('formatting then parsing returns the same whole seconds (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 86_400 }), (seconds) => {
        expect(durationMs(formatIsoDuration(seconds * 1000))).toBe(seconds * 1000);
      }),
    );
  });

  it.each([
    [0, '+00:00:00'],
    [50 * MIN, '+00:50:00'],
    [HOUR + 10 * MIN + 5000, '+01:10:05'],
    [3 * DAY, '+72:00:00'],
    [-90_000, '-00:01:30'],
    [Number.NaN, '+??:??:??'],
  ])('offset %d ms reads %s', (ms, text) => {
    expect(formatOffset(ms)).toBe(text);
  });
});
