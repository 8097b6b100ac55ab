import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_TABLE_NAME, MAX_TIME_SCALE, parseTimeScale } from '#cli/commands/up.ts';
import { DEFAULT_TABLE_NAME } from '#store/table.ts';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { strategySchema } from '#domain/rollout/strategy.ts';
import { scaledClock, strategyAlarmNames } from '#local/runtime.ts';

describe('convoy up --time-scale', () => {
  it.each([
    ['1', 1],
    ['60', 60],
    ['0.5', 0.5],
    ['1e3', 1000],
    [String(MAX_TIME_SCALE), MAX_TIME_SCALE],
  ])('accepts %s', (text, scale) => {
    expect(parseTimeScale(text)).toBe(scale);
  });

  it.each(['0', '-1', '10001', 'fast', '', ' ', 'Infinity', 'NaN'])('refuses %j', (text) => {
    expect(() => parseTimeScale(text)).toThrow(InvalidArgumentError);
    expect(() => parseTimeScale(text)).toThrow('must be a number > 0 and ≤ 10000');
  });
});

describe('convoy up --table', () => {
  it('defaults to the table a Lambda uses', () => {
    expect(EMBEDDED_TABLE_NAME).toBe(DEFAULT_TABLE_NAME);
  });
});

describe('scaledClock', () => {
  it.each([
    [1, 1000, 1000],
    [60, 1000, 60_000],
    [600, 250, 150_000],
    [0.5, 1000, 500],
  ])('at scale %f, %i ms of wall time are %i ms of workflow time', (scale, elapsed, expected) => {
    let wall = 1_000_000;
    const clock = scaledClock(scale, wall, () => wall);
    expect(clock()).toBe(1_000_000);
    wall += elapsed;
    expect(clock() - 1_000_000).toBe(expected);
  });

  it('starts from the wall clock by default', () => {
    const before = Date.now();
    const now = scaledClock(1000)();
    expect(now).toBeGreaterThanOrEqual(before);
  });
});

describe('the demo’s healthy alarms', () => {
  it('are every alarm of the example catalog’s strategies, once each', () => {
    const catalog = parse(
      readFileSync(new URL('../../../examples/catalog.yaml', import.meta.url), 'utf8'),
    ) as {
      strategies: unknown[];
    };
    const names = strategyAlarmNames(catalog.strategies.map((s) => strategySchema.parse(s)));
    expect(names).toEqual(
      ['dev', 'staging', 'prod-eu', 'prod-us'].flatMap((env) => [`${env}-5xx-rate`, `${env}-checkout-p99`]),
    );
    expect(strategyAlarmNames([])).toEqual([]);
  });
});
