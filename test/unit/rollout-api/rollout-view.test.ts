import { describe, expect, it } from 'vitest';
import { rolloutEtag, rolloutEventView, rolloutListItem, rolloutView } from '#api/rollout-view.ts';
import { describeEvent } from '#domain/rollout/describe-event.ts';
import type { RolloutEvent } from '#domain/rollout/events.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import { initialRolloutState } from '#domain/rollout/state.ts';

const at = (minute: number): string => `2026-11-23T10:${String(minute).padStart(2, '0')}:00.000Z`;

const strategy = {
  name: 'two-waves',
  phases: [
    { name: 'eu', environments: ['prod-eu'], bake: 'PT10M', approval: true },
    { name: 'us', environments: ['prod-us'], bake: 'PT10M' },
  ],
  health: {
    alarms: ['{env}-5xx'],
    interval: 'PT1M',
    insufficientData: 'unknown' as const,
    unknown: { after: 3, action: 'pause' as const },
  },
  approvalTimeout: 'PT24H',
  rollback: { automatic: true },
};

const events: RolloutEvent[] = [
  {
    type: 'RolloutStarted',
    seq: 0,
    at: at(0),
    rolloutId: 'ro-1',
    bundle: { name: 'checkout', version: '7', hash: 'f'.repeat(64) },
    strategy,
    environmentsBefore: { 'prod-eu': 'a'.repeat(64), 'prod-us': '' },
    by: 'olivia',
  },
  { type: 'PhaseStarted', seq: 1, at: at(1), phase: 'eu' },
  {
    type: 'PhaseDeployed',
    seq: 2,
    at: at(2),
    phase: 'eu',
    environment: 'prod-eu',
    deploymentId: 'dpl-prod-eu-4',
    previousSnapshot: 'a'.repeat(64),
    snapshot: 'b'.repeat(64),
  },
  {
    type: 'HealthChecked',
    seq: 3,
    at: at(3),
    phase: 'eu',
    verdict: 'unknown',
    alarms: [],
    consecutiveUnknown: 1,
  },
  { type: 'Promoted', seq: 4, at: at(4), by: 'olivia' },
  { type: 'FreezeApplied', seq: 5, at: at(5), policy: 'pause', windows: ['year-end'] },
  { type: 'Succeeded', seq: 6, at: at(6) },
];

describe('rolloutView', () => {
  it('shapes the reduced state and every event, keeping the events the reduction ignored as anomalies', () => {
    const view = rolloutView(reduceRollout(events), events);
    expect(view).toMatchObject({
      id: 'ro-1',
      bundle: 'checkout@7',
      bundleHash: 'f'.repeat(64),
      strategy: 'two-waves',
      status: 'running',
      currentPhase: 'eu',
      health: { verdict: 'unknown', at: at(3), reason: null, alarms: [] },
      consecutiveUnknown: 1,
      promoted: true,
      freeze: { at: at(5), policy: 'pause', windows: ['year-end'] },
      phases: [
        {
          name: 'eu',
          environments: ['prod-eu'],
          status: 'baking',
          deployedAt: at(2),
          bakedUntil: '2026-11-23T10:12:00.000Z',
          approval: true,
        },
        { name: 'us', environments: ['prod-us'], status: 'pending', deployedAt: null, approval: false },
      ],
      anomalies: [{ seq: 6, type: 'Succeeded', reason: 'phase eu is baking, not baked' }],
    });
    expect(view.events.map((e) => [e.seq, e.type, e.phase, e.environment])).toEqual([
      [0, 'RolloutStarted', null, null],
      [1, 'PhaseStarted', 'eu', null],
      [2, 'PhaseDeployed', 'eu', 'prod-eu'],
      [3, 'HealthChecked', 'eu', null],
      [4, 'Promoted', null, null],
      [5, 'FreezeApplied', null, null],
      [6, 'Succeeded', null, null],
    ]);
    expect(view.events.map((e) => e.detail)).toEqual(events.map(describeEvent));
  });

  it('shapes a state before any event as nulls', () => {
    const view = rolloutView(initialRolloutState(), []);
    expect(view).toMatchObject({
      id: '',
      bundle: null,
      bundleHash: null,
      strategy: null,
      status: 'pending',
      health: null,
      phases: [],
      events: [],
    });
    expect(rolloutListItem(initialRolloutState())).toEqual({
      id: '',
      bundle: null,
      strategy: null,
      status: 'pending',
      currentPhase: null,
      startedAt: null,
      startedBy: null,
      endedAt: null,
    });
  });

  it('takes the ETag from the newest stored event', () => {
    expect(rolloutEtag(events)).toBe('"6"');
    expect(rolloutEtag([])).toBe('"-1"');
  });

  it('describes each event in one line', () => {
    expect(rolloutEventView(events[0] as RolloutEvent)).toEqual({
      seq: 0,
      at: at(0),
      type: 'RolloutStarted',
      phase: null,
      environment: null,
      detail: describeEvent(events[0] as RolloutEvent),
    });
  });
});
