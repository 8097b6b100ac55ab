import { describe, expect, it } from 'vitest';
import {
  eventRows,
  healthText,
  phaseRows,
  rolloutFacts,
  startedLines,
  statusText,
  summaryRows,
} from '#cli/rollout-format.ts';
import type { RolloutView } from '#api/rollout-view.ts';
import { phase, runningView } from './rollout-fixtures.ts';

describe('rollout status for people', () => {
  it.each<[string, Partial<RolloutView>, string]>([
    ['a status alone', { status: 'running', reason: null }, 'running'],
    [
      'with its reason',
      { status: 'rolled-back', reason: 'ALARM prod-eu-5xx-rate' },
      'rolled-back: ALARM prod-eu-5xx-rate',
    ],
    ['an empty reason', { status: 'paused', reason: '' }, 'paused'],
  ])('statusText: %s', (_case, view, text) => {
    expect(statusText(runningView(view))).toBe(text);
  });

  it('lists the facts of a running rollout', () => {
    expect(rolloutFacts(runningView())).toEqual([
      ['rollout', 'ro-1'],
      ['bundle', 'checkout-timeouts@3'],
      ['strategy', 'standard'],
      ['status', 'running'],
      ['phase', 'staging'],
      ['started', '2026-11-23T10:00:00.000Z by olivia'],
    ]);
  });

  it.each<[string, Partial<RolloutView>, string[]]>([
    ['ended', { endedAt: '2026-11-23T12:00:00Z' }, ['ended', '2026-11-23T12:00:00Z']],
    ['promoted', { promoted: true }, ['promoted', 'the current bake ends at the next healthy check']],
    [
      'caught by a freeze',
      { freeze: { at: '2026-11-23T11:00:00Z', policy: 'pause', windows: ['year-end'] } },
      ['freeze', 'year-end since 2026-11-23T11:00:00Z; pause'],
    ],
    [
      'a freeze without windows',
      { freeze: { at: '2026-11-23T11:00:00Z', policy: 'finish-phase', windows: [] } },
      ['freeze', '(none) since 2026-11-23T11:00:00Z; finish-phase'],
    ],
    [
      'anomalies',
      { anomalies: [{ seq: 7, at: '2026-11-23T11:00:00Z', type: 'PhaseBaked', reason: 'not baking' }] },
      ['anomalies', '#7 PhaseBaked: not baking'],
    ],
    [
      'a release rollout, its pinned bundle versions',
      {
        release: '2026.12-R1',
        releaseBundles: ['identity-session@2', 'checkout-timeouts@1'],
      },
      ['pinned', 'identity-session@2, checkout-timeouts@1'],
    ],
    [
      'not started yet',
      { bundle: null, strategy: null, currentPhase: null, startedAt: null, startedBy: null },
      ['started', '-'],
    ],
  ])('adds a fact when %s', (_case, overrides, fact) => {
    expect(rolloutFacts(runningView(overrides))).toContainEqual(fact);
  });

  it('tabulates the phases, the approval gates marked', () => {
    expect(
      phaseRows([
        ...runningView().phases.slice(0, 2),
        phase({ name: 'gate', environments: ['a', 'b'], approval: true }),
      ]),
    ).toEqual([
      ['dev', 'dev', 'baked', '2026-11-23T10:00:00.000Z', '2026-11-23T10:05:00.000Z'],
      ['staging', 'staging', 'baking', '2026-11-23T10:05:00.000Z', '2026-11-23T10:20:00.000Z'],
      ['gate', 'a,b', 'pending (approval gate)', '-', '-'],
    ]);
  });

  it.each<[string, RolloutView['health'], number, string]>([
    ['never checked', null, 0, 'not checked yet'],
    [
      'healthy',
      { verdict: 'healthy', at: 'T', reason: null, alarms: [{ name: 'a', state: 'OK' }] },
      0,
      'healthy at T (a OK)',
    ],
    [
      'unknown, in a row',
      { verdict: 'unknown', at: 'T', reason: 'monitoring unavailable', alarms: [] },
      2,
      'unknown 2 in a row at T: monitoring unavailable',
    ],
    [
      'unhealthy',
      { verdict: 'unhealthy', at: 'T', reason: 'ALARM a', alarms: [{ name: 'a', state: 'ALARM' }] },
      0,
      'unhealthy at T: ALARM a (a ALARM)',
    ],
  ])('healthText: %s', (_case, health, streak, text) => {
    expect(healthText(health, streak)).toBe(text);
  });

  it('tabulates events and list rows, "-" where a value is missing', () => {
    expect(eventRows(runningView().events.slice(0, 1))).toEqual([
      [
        '2026-11-23T10:00:00.000Z',
        'RolloutStarted',
        '-',
        '-',
        'checkout-timeouts@3 with strategy standard (4 phases) by olivia',
      ],
    ]);
    expect(
      summaryRows([
        {
          id: 'ro-1',
          bundle: 'checkout-timeouts@3',
          strategy: 'standard',
          status: 'running',
          currentPhase: 'dev',
          startedAt: 'T',
          startedBy: 'olivia',
          endedAt: null,
        },
        {
          id: 'ro-2',
          bundle: null,
          strategy: null,
          status: 'pending',
          currentPhase: null,
          startedAt: null,
          startedBy: null,
          endedAt: null,
        },
      ]),
    ).toEqual([
      ['ro-1', 'checkout-timeouts@3', 'standard', 'running', 'dev', 'T', 'olivia'],
      ['ro-2', '-', '-', 'pending', '-', '-', '-'],
    ]);
  });

  it('says what started and how to follow it', () => {
    expect(startedLines(runningView({ status: 'pending' }))).toEqual([
      'rollout ro-1 of checkout-timeouts@3 with strategy standard: pending',
      'first phase dev (dev), then 3 more',
      'follow it: convoy rollout watch ro-1',
    ]);
    expect(startedLines(runningView({ phases: [] }))).toHaveLength(2);
  });
});
