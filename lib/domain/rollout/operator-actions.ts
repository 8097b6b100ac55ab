import type { RolloutDraft } from './events.ts';
import type { RolloutAction } from './operator-action-names.ts';
import { isTerminal, type RolloutState } from './state.ts';

/**
 * What a workflow wait resumes with: the ASL's `Resumed?` and `Approved?` choices read `action`
 * (`resume` and `approve` go on; anything else rolls back).
 */
export type WaitAnswer = 'resume' | 'approve' | 'reject' | 'abort';

/** Actions whose reason is required (they end the rollout). */
export const reasonRequired: readonly RolloutAction[] = ['abort', 'reject'];

interface ActionRule {
  /** Whether the action fits the rollout now. */
  fits: (state: RolloutState) => boolean;
  /** What the action needs, for the refusal. */
  needs: string;
  event: (state: RolloutState, by: string, reason: string) => RolloutDraft;
  /** What the workflow's wait is resumed with, if the action answers one. */
  resume?: WaitAnswer;
  audit: string;
}

const baking = (state: RolloutState): boolean =>
  state.status === 'running' && state.phases[state.currentPhaseIndex]?.status === 'baking';

/** Which action is allowed in which rollout status, and what it does. */
const rules: Record<RolloutAction, ActionRule> = {
  pause: {
    fits: (s) => ['running', 'awaiting-approval', 'pending'].includes(s.status),
    needs: 'a pending, running or awaiting-approval rollout',
    event: (_s, by, reason) => ({ type: 'Paused', by, reason }),
    audit: 'RolloutPaused',
  },
  resume: {
    fits: (s) => s.status === 'paused',
    needs: 'a paused rollout',
    event: (_s, by) => ({ type: 'Resumed', by }),
    resume: 'resume',
    audit: 'RolloutResumed',
  },
  abort: {
    fits: (s) => !isTerminal(s.status) && s.status !== 'rolling-back',
    needs: 'a rollout that has not ended and is not rolling back already',
    event: (_s, by, reason) => ({ type: 'AbortRequested', by, reason }),
    resume: 'abort',
    audit: 'RolloutAborted',
  },
  promote: {
    fits: baking,
    needs: 'a running rollout whose current phase is baking',
    event: (_s, by) => ({ type: 'Promoted', by }),
    audit: 'RolloutPromoted',
  },
  approve: {
    fits: (s) => s.status === 'awaiting-approval',
    needs: 'a rollout awaiting approval',
    // Awaiting approval: there is a current phase.
    event: (s, by) => ({ type: 'ApprovalGranted', phase: s.currentPhase as string, by }),
    resume: 'approve',
    audit: 'RolloutApproved',
  },
  reject: {
    fits: (s) => s.status === 'awaiting-approval',
    needs: 'a rollout awaiting approval',
    event: (s, by, reason) => ({ type: 'ApprovalRejected', phase: s.currentPhase as string, by, reason }),
    resume: 'reject',
    audit: 'RolloutRejected',
  },
};

export type OperatorOutcome =
  | { allowed: true; draft: RolloutDraft; resume?: WaitAnswer; audit: string }
  | { allowed: false; needs: string };

/**
 * An operator's action on the rollout as it stands: the event it appends, the audit event's type and
 * the wait it answers, or what it needs when it does not fit. `reason` defaults to `operator request`.
 */
export const operatorAction = (
  state: RolloutState,
  action: RolloutAction,
  by: string,
  reason = 'operator request',
): OperatorOutcome => {
  const rule = rules[action];
  if (!rule.fits(state)) return { allowed: false, needs: rule.needs };
  return {
    allowed: true,
    draft: rule.event(state, by, reason),
    audit: rule.audit,
    ...(rule.resume === undefined ? {} : { resume: rule.resume }),
  };
};
