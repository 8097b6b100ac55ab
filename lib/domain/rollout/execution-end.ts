import type { EventOf, RolloutDraft } from './events.ts';
import { isTerminal, type RolloutState } from './state.ts';

/** How a Step Functions execution ended (its "Execution Status Change" event's `status`). */
export const executionEndStatuses = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type ExecutionEndStatus = (typeof executionEndStatuses)[number];
/** The ends a rollout must learn of: the EventBridge rule's `status` filter (and the local runner's). */
export const untimelyEndStatuses: readonly ExecutionEndStatus[] = ['FAILED', 'TIMED_OUT', 'ABORTED'];

export interface ExecutionEnd {
  executionName: string;
  status: ExecutionEndStatus;
  /** The execution's error name (`States.Runtime`, `Convoy.RollbackFailed`…), if it reported one. */
  error?: string | undefined;
  cause?: string | undefined;
}

export type ExecutionEndAction = EventOf<'ExecutionEnded'>['action'];

export type ExecutionEndStep =
  | { record: false; why: string }
  | { record: true; action: ExecutionEndAction; reason: string; drafts: RolloutDraft[] };

/** The execution running the rollout now: the last one it continued as, else its first (named after it). */
export const currentExecutionName = (state: RolloutState): string => state.executionName ?? state.id;

/**
 * Whether no execution runs the rollout: the one it ran in ended and none was started since. An
 * operator's action then starts a fresh execution instead of answering a wait nobody holds.
 */
export const workflowGone = (state: RolloutState): boolean =>
  state.workflowEnded !== null && !isTerminal(state.status);

const MAX_REASON = 2000;

const describeEnd = (end: ExecutionEnd): string => {
  const error = end.error ? `: ${end.error}` : '';
  const cause = end.cause ? ` (${end.cause})` : '';
  return `workflow execution ${end.executionName} ended ${end.status}${error}${cause}`.slice(0, MAX_REASON);
};

/**
 * What the rollout does when an execution of its workflow ends, pure. Ignored: an execution that ended
 * normally (SUCCEEDED: it ended the rollout or handed it over), a rollout that has ended, an execution
 * the rollout was handed over from (continue-as-new, an operator's kick: `<id>--<n>`), and an end
 * already recorded (the event delivered twice). Otherwise the rollout records it (ExecutionEnded) and,
 * as for monitoring that cannot answer, applies the strategy's `unknown.action`: pause (waits for an
 * operator), or roll back in a fresh execution (a pause when `rollback.automatic` is off). A rollout
 * already rolling back is rolled back by a fresh execution once; already paused, it stays paused.
 */
export const executionEndStep = (state: RolloutState, end: ExecutionEnd): ExecutionEndStep => {
  const ignore = (why: string): ExecutionEndStep => ({ record: false, why });
  const { status } = end;
  if (status === 'SUCCEEDED') return ignore('the execution ended normally');
  if (state.strategy === null) return ignore('no such rollout');
  if (isTerminal(state.status)) return ignore(`the rollout already ended ${state.status}`);
  const current = currentExecutionName(state);
  if (end.executionName !== current) return ignore(`superseded: the rollout goes on in ${current}`);
  if (state.workflowEnded?.executionName === end.executionName) return ignore('already recorded');
  const reason = describeEnd(end);
  const ended = (action: ExecutionEndAction): RolloutDraft => ({
    type: 'ExecutionEnded',
    executionName: end.executionName,
    status,
    reason,
    action,
  });
  const record = (action: ExecutionEndAction, ...then: RolloutDraft[]): ExecutionEndStep => ({
    record: true,
    action,
    reason,
    drafts: [ended(action), ...then],
  });
  if (state.status === 'rolling-back') return record(state.rollbackRescued ? 'none' : 'rollback');
  if (state.status === 'paused') return record('none');
  const { health, rollback } = state.strategy;
  if (health.unknown.action === 'rollback' && rollback.automatic)
    return record('rollback', { type: 'RollbackStarted', reason });
  const why = health.unknown.action === 'rollback' ? 'automatic rollback is off' : 'unknown.action pause';
  return record('pause', { type: 'Paused', reason: `${reason}; paused (${why})`.slice(0, MAX_REASON) });
};
