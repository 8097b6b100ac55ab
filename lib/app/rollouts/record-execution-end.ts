import { isConvoyError } from '#domain/core/errors.ts';
import {
  executionEndStep,
  type ExecutionEnd,
  type ExecutionEndAction,
} from '#domain/rollout/execution-end.ts';
import type { Deps } from '../deps.ts';
import { kickRollout } from './kick-rollout.ts';
import { appendDrafts, loadRollout, ROLLOUT_WORKFLOW_PRINCIPAL } from './rollout-stream.ts';

export interface RolloutExecutionEnd extends ExecutionEnd {
  rolloutId: string;
}

export type ExecutionEndOutcome =
  { recorded: false; why: string } | { recorded: true; action: ExecutionEndAction; reason: string };

const ATTEMPTS = 3;

const lostRace = (error: unknown): boolean =>
  isConvoyError(error) && error.code === 'conflict' && typeof error.context.lastSeq === 'number';

/**
 * An execution of the rollout's workflow ended (EventBridge's "Execution Status Change", or the local
 * runner): the domain's rule says whether the rollout cares (executionEndStep). If it does, the end and
 * what follows from it (Paused, or RollbackStarted) are appended with their audit event in one conditional write
 * (a lost race is re-read and re-decided), and a rollback is carried out by a fresh execution of the
 * workflow (`<id>--<n>`: ContinuedAsNew, start), the path an operator's kick takes. `attempt`: this
 * call's try at the stream (a lost race tries again, at most three times in all).
 */
export const recordExecutionEnd = async (
  deps: Deps,
  end: RolloutExecutionEnd,
  attempt = 1,
): Promise<ExecutionEndOutcome> => {
  const { state } = await loadRollout(deps, end.rolloutId);
  const step = executionEndStep(state, end);
  if (!step.record) return { recorded: false, why: step.why };
  const at = deps.now().toISOString();
  const audit = {
    type: 'RolloutExecutionEnded',
    at,
    actor: ROLLOUT_WORKFLOW_PRINCIPAL,
    subject: end.rolloutId,
    detail: {
      rolloutId: end.rolloutId,
      execution: end.executionName,
      status: end.status,
      action: step.action,
      reason: step.reason,
    },
  };
  let next;
  try {
    next = await appendDrafts(deps, state, step.drafts, at, audit);
  } catch (error) {
    if (lostRace(error) && attempt < ATTEMPTS) return recordExecutionEnd(deps, end, attempt + 1);
    throw error;
  }
  if (step.action === 'rollback') await kickRollout(deps, next, at);
  return { recorded: true, action: step.action, reason: step.reason };
};
