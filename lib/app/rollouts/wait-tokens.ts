import { isConvoyError } from '#domain/core/errors.ts';
import type { WaitAnswer } from '#domain/rollout/operator-actions.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import type { Deps } from '../deps.ts';
import { loadRollout } from './rollout-stream.ts';

/** The answer a wait gets from the rollout's state, or undefined while the state still waits. */
export const waitAnswer = (state: RolloutState, gate: 'resume' | 'approval'): WaitAnswer | undefined => {
  if (['pending', 'paused'].includes(state.status)) return undefined;
  if (gate === 'approval' && state.status === 'awaiting-approval') return undefined;
  if (state.status === 'running') return gate === 'approval' ? 'approve' : 'resume';
  return 'abort';
};

/** Send a wait's answer; a token that no longer waits (someone answered first) is fine. */
export const answerWait = async (deps: Deps, token: string, answer: WaitAnswer): Promise<void> => {
  try {
    await deps.workflows.sendTaskSuccess(token, { action: answer });
  } catch (error) {
    if (!(isConvoyError(error) && error.context.staleTaskToken === true)) throw error;
  }
};

/**
 * After storing a wait's token: an operator who decided before the token was stored found none to
 * send, so the wait answers itself from the state they left.
 */
export const resumeOwnToken = async (
  deps: Deps,
  rolloutId: string,
  token: string,
  gate: 'resume' | 'approval',
): Promise<void> => {
  const { state } = await loadRollout(deps, rolloutId);
  const answer = waitAnswer(state, gate);
  if (answer !== undefined) await answerWait(deps, token, answer);
};
