import { describe, expect, it } from 'vitest';
import { durationSeconds, parseDuration } from '#domain/core/duration.ts';

describe('parseDuration and durationSeconds', () => {
  it.each([
    ['PT5M', 300],
    ['PT1H30M', 5400],
    ['P1DT2H', 93_600],
    ['P2W', 1_209_600],
    ['PT0.5S', 0.5],
    ['P0Y0M1D', 86_400],
  ])('%s is %d seconds', (text, seconds) => {
    const duration = parseDuration(text);
    expect(duration && durationSeconds(duration)).toBe(seconds);
  });

  it.each(['P1Y', 'P2M', 'P1Y2M3D'])('%s parses but has no fixed length', (text) => {
    const duration = parseDuration(text);
    expect(duration).toBeDefined();
    expect(durationSeconds(duration!)).toBeUndefined();
  });

  it.each(['', 'P', 'PT', 'P1DT', '5m', 'PT5', 'P1.5D', 'pt5m', 'PT-5M', 'P1H'])(
    '%j is not a duration',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});
