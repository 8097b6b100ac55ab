import { describe, expect, it } from 'vitest';
import { alarmTemplateError } from '#domain/rollout/alarm-template.ts';
import { expandAlarms, phaseAlarms, strategySchema, strategyTimings } from '#domain/rollout/strategy.ts';
import { standard } from './fixtures.ts';

describe('strategy schema', () => {
  it('accepts the YAML contract of issue 4 verbatim', () => {
    expect(standard).toEqual({
      name: 'standard',
      approvalTimeout: 'PT24H',
      phases: [
        { name: 'dev', environments: ['dev'], bake: 'PT5M' },
        { name: 'staging', environments: ['staging'], bake: 'PT15M', approval: true },
        { name: 'prod-canary', environments: ['prod-eu'], bake: 'PT30M' },
        { name: 'prod', environments: ['prod-us'], bake: 'PT1H' },
      ],
      health: {
        alarms: ['{env}-5xx-rate', '{env}-checkout-p99'],
        interval: 'PT1M',
        insufficientData: 'unknown',
        unknown: { after: 3, action: 'pause' },
      },
      finalWatch: 'PT30M',
      rollback: { automatic: true },
    });
  });

  it('defaults the health policy to never continue silently, and rollback to automatic', () => {
    const parsed = strategySchema.parse({
      name: 's',
      phases: [{ name: 'p', environments: ['dev'], bake: 'PT5M' }],
      health: { alarms: ['{env}-5xx'] },
    });
    expect(parsed.health).toEqual({
      alarms: ['{env}-5xx'],
      interval: 'PT1M',
      insufficientData: 'unknown',
      unknown: { after: 3, action: 'pause' },
    });
    expect(parsed.rollback).toEqual({ automatic: true });
  });
});

describe('alarm templates', () => {
  it.each([
    ['{env}-5xx-rate', undefined],
    ['shared-5xx', undefined],
    ['{env}-{env}', undefined],
    ['', 'is empty'],
    ['  ', 'is empty'],
    ['{region}-5xx', 'unknown placeholder {region}'],
    ['{ENV}-5xx', 'unknown placeholder {ENV}'],
    ['{env-5xx', 'unbalanced'],
    ['env}-5xx', 'unbalanced'],
    ['a\u0007b', 'control character'],
  ])('%j → %s', (template, error) => {
    if (error === undefined) expect(alarmTemplateError(template)).toBeUndefined();
    else expect(alarmTemplateError(template)).toContain(error);
  });

  it('expandAlarms replaces {env} in every template', () => {
    expect(expandAlarms(standard, 'prod-eu')).toEqual(['prod-eu-5xx-rate', 'prod-eu-checkout-p99']);
  });

  it('phaseAlarms covers every environment of a phase and lists a shared alarm once', () => {
    const strategy = { health: { ...standard.health, alarms: ['{env}-5xx', 'global-errors'] } };
    expect(phaseAlarms(strategy, { environments: ['prod-eu', 'prod-us'] })).toEqual([
      'prod-eu-5xx',
      'global-errors',
      'prod-us-5xx',
    ]);
  });
});

describe('strategy timings', () => {
  it('turns bakes, interval, final watch and approval timeout into milliseconds', () => {
    expect(strategyTimings(standard)).toEqual({
      bakeMs: [300_000, 900_000, 1_800_000, 3_600_000],
      intervalMs: 60_000,
      finalWatchMs: 1_800_000,
      approvalTimeoutMs: 86_400_000,
    });
    expect(strategyTimings({ ...standard, finalWatch: undefined }).finalWatchMs).toBe(0);
  });
});
