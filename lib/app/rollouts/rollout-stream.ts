import type { AuditDraft } from '#domain/audit/event.ts';
import { notFound } from '#domain/core/errors.ts';
import type { RolloutDraft, RolloutEvent } from '#domain/rollout/events.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import type { Strategy } from '#domain/rollout/strategy.ts';
import type { Deps } from '../deps.ts';

/** The principal of every change the progressive-rollout workflow makes. */
export const ROLLOUT_WORKFLOW_PRINCIPAL = 'workflow:progressive-rollout';

export type { RolloutDraft };

export interface LoadedRollout {
  state: RolloutState;
  strategy: Strategy;
  events: RolloutEvent[];
}

/** The rollout's current state: the reduction of its stored events. */
export const loadRollout = async (deps: Deps, rolloutId: string): Promise<LoadedRollout> => {
  const events = await deps.store.rollouts.events(rolloutId);
  const state = reduceRollout(events);
  // Appends go after the newest stored event, even one the reduction ignored as an anomaly.
  state.lastSeq = Math.max(state.lastSeq, events.at(-1)?.seq ?? -1);
  if (state.strategy === null) throw notFound(`Rollout ${rolloutId} does not exist.`, { rolloutId });
  return { state, strategy: state.strategy, events };
};

/**
 * Append drafts after the state's last seq, stamped `at`, with their `audit` event on `_rollout` in the
 * same transaction when given; returns the state with them applied. A lost race is a `conflict` (the
 * workflow's Retry re-reads the stream).
 */
export const appendDrafts = async (
  deps: Deps,
  state: RolloutState,
  drafts: readonly RolloutDraft[],
  at: string,
  audit?: AuditDraft,
): Promise<RolloutState> => {
  if (drafts.length === 0) return state;
  const events = drafts.map((draft, i) => ({ ...draft, at, seq: state.lastSeq + 1 + i }));
  await deps.store.rollouts.append(state.id, events, audit);
  return reduceRollout(events, state);
};

/**
 * Health checks one execution runs before it continues as new. A check costs about a dozen history
 * events, so this keeps an execution far below Step Functions' 25,000-event cap.
 */
export const CHECKS_PER_EXECUTION = 1000;

/** The input of a rollout's execution: the first one, or one that takes over at `phaseIndex`. */
export const rolloutWorkflowInput = (rolloutId: string, limit = CHECKS_PER_EXECUTION, phaseIndex = 0) => ({
  rolloutId,
  phaseIndex,
  loop: { checks: 0, limit },
});

/** The name of the execution that continues `execution`: `<base>--<n+1>`, within Step Functions' 80. */
export const continuationName = (execution: string): string => {
  const match = /^(.*)--(\d+)$/.exec(execution);
  const base = (match?.[1] ?? execution).slice(0, 70);
  return `${base}--${Number(match?.[2] ?? 1) + 1}`;
};
