import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RolloutEvent } from '#domain/rollout/events.ts';
import { applyEvent, reduceRollout } from '#domain/rollout/reduce.ts';
import { initialRolloutState, isTerminal } from '#domain/rollout/state.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import type { Draft } from './fixtures.ts';
import { atMinute, checked, deployed, happyTwoPhases, started } from './fixtures.ts';

const happy = happyTwoPhases().map(({ seq: _seq, at: _at, ...draft }) => draft);
const pool: Draft[] = [
  ...happy,
  checked('first', 'unknown', 1),
  checked('first', 'unhealthy'),
  { type: 'ApprovalRequested', phase: 'first' },
  { type: 'ApprovalGranted', phase: 'first', by: 'o' },
  { type: 'ApprovalRejected', phase: 'first', by: 'o', reason: 'r' },
  { type: 'ApprovalTimedOut', phase: 'first' },
  { type: 'Paused', reason: 'freeze' },
  { type: 'Paused', by: 'o', reason: 'look' },
  { type: 'Resumed', by: 'o' },
  { type: 'Promoted', by: 'o' },
  { type: 'AbortRequested', by: 'o', reason: 'r' },
  { type: 'FreezeApplied', policy: 'finish-phase', windows: ['fw'] },
  { type: 'RollbackStarted', reason: 'ALARM' },
  { type: 'PhaseRolledBack', phase: 'first', environment: 'dev', deploymentId: 'r1' },
  { type: 'PhaseRolledBack', phase: 'first', environment: 'staging', deploymentId: 'r2' },
  { type: 'PhaseRolledBack', phase: 'second', environment: 'prod-eu', deploymentId: 'r3' },
  { type: 'RolledBack' },
  { type: 'Failed', reason: 'x' },
  { type: 'ContinuedAsNew', executionName: 'next' },
  deployed('first', 'dev', 2),
  started(),
];

/** The happy path with random events slipped in, cut short at random, with occasional repeated seqs. */
const streams = fc
  .record({
    insertions: fc.array(fc.tuple(fc.nat(20), fc.constantFrom(...pool)), { maxLength: 25 }),
    cut: fc.nat(40),
    seqSteps: fc.array(fc.constantFrom(1, 1, 1, 1, 1, 1, 2, 0), { minLength: 50, maxLength: 50 }),
  })
  .map(({ insertions, cut, seqSteps }): RolloutEvent[] => {
    const drafts = [...happy];
    for (const [position, draft] of insertions) drafts.splice(1 + (position % drafts.length), 0, draft);
    let seq = 0;
    return drafts.slice(0, Math.max(1, drafts.length - (cut % 5 === 0 ? cut : 0))).map((draft, i) => {
      seq += seqSteps[i % seqSteps.length]!;
      return { ...draft, seq, at: atMinute(i) };
    });
  });

const checkInvariants = (state: Readonly<RolloutState>): void => {
  // The plan lists each environment once, newest phase first, and exactly the environments that still
  // run this rollout's configuration.
  const planned = state.rollbackPlan.map((step) => step.environment);
  expect(new Set(planned).size).toBe(planned.length);
  const positions = state.rollbackPlan.map((step) => state.phases.findIndex((p) => p.name === step.phase));
  positions.forEach((position, i) => {
    expect(position).toBeGreaterThanOrEqual(0);
    if (i > 0) expect(position).toBeLessThanOrEqual(positions[i - 1]!);
  });
  const live = new Set(
    state.phases.flatMap((p) =>
      p.deployments.filter((d) => d.rolledBackAt === null).map((d) => d.environment),
    ),
  );
  expect(new Set(planned)).toEqual(live);
  if (state.status === 'succeeded') expect(state.phases.every((p) => p.status === 'baked')).toBe(true);
  if (state.status === 'rolled-back' || state.status === 'aborted') expect(state.rollbackPlan).toEqual([]);
};

describe('reduceRollout properties', () => {
  it('never throws; every event is either applied or recorded as an anomaly; invariants hold after every event', () => {
    fc.assert(
      fc.property(streams, (events) => {
        const state = reduceRollout(events, undefined, (_event, _ignored, current) => {
          checkInvariants(current);
        });
        expect(state.eventCount + state.anomalies.length).toBe(events.length);
      }),
    );
  });

  it('reducing a prefix, then the rest, equals reducing everything; so does folding applyEvent', () => {
    fc.assert(
      fc.property(streams, fc.nat(), (events, split) => {
        const k = split % (events.length + 1);
        const all = reduceRollout(events);
        expect(reduceRollout(events.slice(k), reduceRollout(events.slice(0, k)))).toEqual(all);
        expect(events.reduce(applyEvent, initialRolloutState())).toEqual(all);
      }),
    );
  });

  it('the state survives a JSON round trip (it crosses continue-as-new as JSON)', () => {
    fc.assert(
      fc.property(streams, fc.nat(), (events, split) => {
        const k = split % (events.length + 1);
        const carried = JSON.parse(JSON.stringify(reduceRollout(events.slice(0, k)))) as RolloutState;
        expect(reduceRollout(events.slice(k), carried)).toEqual(reduceRollout(events));
      }),
    );
  });

  it('applyEvent leaves its input state untouched', () => {
    fc.assert(
      fc.property(streams, (events) => {
        let state = initialRolloutState();
        for (const event of events) {
          const copy = structuredClone(state);
          const next = applyEvent(state, event);
          expect(state).toEqual(copy);
          state = next;
        }
      }),
    );
  });

  it('a terminal status never changes afterwards', () => {
    fc.assert(
      fc.property(streams, (events) => {
        let terminal: string | undefined;
        reduceRollout(events, undefined, (_event, _ignored, state) => {
          if (terminal !== undefined) expect(state.status).toBe(terminal);
          else if (isTerminal(state.status)) terminal = state.status;
        });
      }),
    );
  });
});
