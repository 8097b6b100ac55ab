import { describe, expect, it } from 'vitest';
import { describeEvent } from '#domain/rollout/describe-event.ts';
import type { RolloutEvent } from '#domain/rollout/events.ts';
import { rolloutEventSchema } from '#domain/rollout/events.ts';
import type { Draft } from './fixtures.ts';
import { deployed, started, stream } from './fixtures.ts';

const one = (draft: Draft): RolloutEvent => stream([[0, draft]])[0]!;

describe('describeEvent', () => {
  it.each<[Draft, string]>([
    [started(), 'checkout-timeouts@3 with strategy two (2 phases) by olivia'],
    [{ type: 'PhaseStarted', phase: 'p' }, 'phase started'],
    [deployed('p', 'dev'), 'deployed dpl-dev-1 (snapshot snap-dev-0 → snap-dev-1)'],
    [{ type: 'HealthChecked', phase: 'p', verdict: 'healthy', alarms: [], consecutiveUnknown: 0 }, 'healthy'],
    [
      {
        type: 'HealthChecked',
        phase: 'p',
        verdict: 'unhealthy',
        alarms: [
          { name: 'a', state: 'ALARM' },
          { name: 'b', state: 'ALARM' },
          { name: 'c', state: 'INSUFFICIENT_DATA' },
        ],
        consecutiveUnknown: 0,
      },
      'ALARM a, b; INSUFFICIENT_DATA c',
    ],
    [
      {
        type: 'HealthChecked',
        phase: 'p',
        verdict: 'unhealthy',
        alarms: [],
        consecutiveUnknown: 0,
        reason: 'why',
      },
      'why',
    ],
    [
      { type: 'HealthChecked', phase: 'p', verdict: 'unhealthy', alarms: [], consecutiveUnknown: 0 },
      'unhealthy',
    ],
    [
      {
        type: 'HealthChecked',
        phase: 'p',
        verdict: 'unknown',
        alarms: [],
        consecutiveUnknown: 2,
        reason: 'monitoring unavailable',
      },
      'unknown (2 in a row): monitoring unavailable',
    ],
    [
      {
        type: 'HealthChecked',
        phase: 'p',
        verdict: 'unknown',
        alarms: [{ name: 'a', state: 'INSUFFICIENT_DATA' }],
        consecutiveUnknown: 1,
      },
      'unknown (1 in a row): INSUFFICIENT_DATA a',
    ],
    [{ type: 'PhaseBaked', phase: 'p' }, 'baked'],
    [{ type: 'ApprovalRequested', phase: 'p' }, 'approval requested'],
    [{ type: 'ApprovalGranted', phase: 'p', by: 'olivia' }, 'approved by olivia'],
    [
      { type: 'ApprovalRejected', phase: 'p', by: 'olivia', reason: 'not today' },
      'rejected by olivia: not today',
    ],
    [{ type: 'ApprovalTimedOut', phase: 'p' }, 'approval timed out'],
    [{ type: 'Paused', reason: 'freeze fw-1' }, 'paused: freeze fw-1'],
    [{ type: 'Paused', by: 'olivia', reason: 'look' }, 'paused by olivia: look'],
    [{ type: 'Resumed', by: 'olivia' }, 'resumed by olivia'],
    [{ type: 'Promoted', by: 'olivia' }, 'promoted by olivia'],
    [{ type: 'AbortRequested', by: 'olivia', reason: 'bad' }, 'abort requested by olivia: bad'],
    [
      { type: 'FreezeApplied', policy: 'pause', windows: ['fw-1', 'fw-2'] },
      'freeze fw-1, fw-2 applies; in flight: pause',
    ],
    [
      { type: 'FreezeApplied', policy: 'continue', windows: [] },
      'freeze (none) applies; in flight: continue',
    ],
    [{ type: 'RollbackStarted', reason: 'ALARM x' }, 'rollback: ALARM x'],
    [
      { type: 'PhaseRolledBack', phase: 'p', environment: 'dev', deploymentId: 'dpl-dev-2' },
      'rolled back by dpl-dev-2',
    ],
    [{ type: 'RolledBack' }, 'rollback complete'],
    [{ type: 'Succeeded' }, 'succeeded'],
    [{ type: 'Failed', reason: 'gave up' }, 'failed: gave up'],
    [{ type: 'ContinuedAsNew', executionName: 'ro-1-2' }, 'continued as execution ro-1-2'],
    ...(['pause', 'rollback', 'none'] as const).map((action): [Draft, string] => [
      { type: 'ExecutionEnded', executionName: 'ro-1', status: 'FAILED', reason: 'it died', action },
      `it died${{ pause: '; paused', rollback: '; rolling back', none: '' }[action]}`,
    ]),
  ])('%j', (draft, detail) => {
    const event = one(draft);
    expect(describeEvent(event)).toBe(detail);
    expect(rolloutEventSchema.parse(event)).toEqual(event);
  });

  it('the event schema rejects unknown types and unknown fields', () => {
    expect(rolloutEventSchema.safeParse({ type: 'Exploded', at: 'x', seq: 1 }).success).toBe(false);
    expect(rolloutEventSchema.safeParse({ type: 'Succeeded', at: 'x', seq: 1, extra: true }).success).toBe(
      false,
    );
  });
});
