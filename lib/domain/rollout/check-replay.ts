import type { RolloutEvent } from './events.ts';
import type { RolloutState } from './state.ts';

/** How far back a retried Decide looks for its check's event: a retry comes within a few events. */
export const REPLAY_WINDOW = 20;

/**
 * Replay: the decision already recorded for this check (a retried Decide task), answered the same,
 * so a retry never appends a second HealthChecked. A check recorded without a decision is not one.
 */
export const recordedDecision = (
  events: readonly RolloutEvent[],
  check: string,
): { action: string; reason: string } | undefined => {
  const event = events.slice(-REPLAY_WINDOW).findLast((e) => e.type === 'HealthChecked' && e.check === check);
  return event?.type === 'HealthChecked' && event.action !== undefined
    ? { action: event.action, reason: event.reason ?? '' }
    : undefined;
};

/**
 * Superseded: the execution the rollout has handed over to when `execution` is not it (an operator's
 * kick, continue-as-new); that execution decides nothing. Undefined when `execution` may decide: it
 * is the rollout's, or either side does not know its execution (older executions, older streams).
 */
export const supersededBy = (state: RolloutState, execution: string | undefined): string | undefined => {
  const current = state.executionName;
  return execution !== undefined && current !== null && current !== execution ? current : undefined;
};
