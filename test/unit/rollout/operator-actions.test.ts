import { describe, expect, it } from 'vitest';
import { rolloutActions, type RolloutAction } from '#domain/rollout/operator-action-names.ts';
import { operatorAction } from '#domain/rollout/operator-actions.ts';
import {
  initialRolloutState,
  rolloutStatuses,
  type PhaseStatus,
  type RolloutState,
  type RolloutStatus,
} from '#domain/rollout/state.ts';

const rollout = (status: RolloutStatus, phase: PhaseStatus = 'deploying'): RolloutState => ({
  ...initialRolloutState(),
  id: 'r-1',
  status,
  currentPhase: 'canary',
  currentPhaseIndex: 0,
  phases: [{ name: 'canary', status: phase } as RolloutState['phases'][number]],
});

// Which action fits which rollout status: a row per action, a column per status ('-' refused).
const table: Record<RolloutAction, Partial<Record<RolloutStatus, true>>> = {
  approve: { 'awaiting-approval': true },
  reject: { 'awaiting-approval': true },
  pause: { pending: true, running: true, 'awaiting-approval': true },
  resume: { paused: true },
  abort: { pending: true, running: true, 'awaiting-approval': true, paused: true },
  promote: {}, // only while the current phase bakes (below)
};

describe('the rollout operator-action table', () => {
  for (const action of rolloutActions) {
    for (const status of rolloutStatuses) {
      const allowed = table[action][status] === true;
      it(`${action} is ${allowed ? 'allowed' : 'refused'} when the rollout is ${status}`, () => {
        expect(operatorAction(rollout(status), action, 'olivia').allowed).toBe(allowed);
      });
    }
  }

  it.each([
    ['baking', true],
    ['deploying', false],
    ['awaiting-approval', false],
  ] as const)('promote on a running rollout whose phase is %s: allowed %s', (phase, allowed) => {
    expect(operatorAction(rollout('running', phase), 'promote', 'olivia').allowed).toBe(allowed);
  });

  it.each([
    ['pause', 'running', { type: 'Paused', by: 'olivia', reason: 'why' }, 'RolloutPaused', undefined],
    ['resume', 'paused', { type: 'Resumed', by: 'olivia' }, 'RolloutResumed', 'resume'],
    ['abort', 'running', { type: 'AbortRequested', by: 'olivia', reason: 'why' }, 'RolloutAborted', 'abort'],
    ['promote', 'running', { type: 'Promoted', by: 'olivia' }, 'RolloutPromoted', undefined],
    [
      'approve',
      'awaiting-approval',
      { type: 'ApprovalGranted', phase: 'canary', by: 'olivia' },
      'RolloutApproved',
      'approve',
    ],
    [
      'reject',
      'awaiting-approval',
      { type: 'ApprovalRejected', phase: 'canary', by: 'olivia', reason: 'why' },
      'RolloutRejected',
      'reject',
    ],
  ] as const)(
    '%s on a %s rollout appends %o, audits %s, answers the wait with %s',
    (action, status, draft, audit, resume) => {
      const outcome = operatorAction(rollout(status, 'baking'), action, 'olivia', 'why');
      expect(outcome).toEqual({ allowed: true, draft, audit, ...(resume ? { resume } : {}) });
    },
  );

  it('a refused action says what it needs', () => {
    expect(operatorAction(rollout('succeeded'), 'resume', 'olivia')).toEqual({
      allowed: false,
      needs: 'a paused rollout',
    });
  });

  it('without a reason, the event says operator request', () => {
    const outcome = operatorAction(rollout('running'), 'pause', 'olivia');
    expect(outcome.allowed && outcome.draft).toEqual({
      type: 'Paused',
      by: 'olivia',
      reason: 'operator request',
    });
  });
});
