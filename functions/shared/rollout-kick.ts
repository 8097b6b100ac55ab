import { isConvoyError } from '../../lib/domain/core/errors.ts';
import type { RolloutState } from '../../lib/domain/rollout/state.ts';
import type { Deps } from './deps.ts';
import { logger } from './logger.ts';
import { appendDrafts, CHECKS_PER_EXECUTION, continuationName } from './rollout-stream.ts';

/** The execution running the rollout now: the last one it continued as, else its first. */
export const currentExecution = (state: RolloutState): string => state.executionName ?? state.id;

/**
 * Whether an operator's event needs a kick to take effect promptly: the workflow is watching a
 * baking phase, where it may be skipping Decide for hours while the alarms stay the same. Waits on a
 * token (paused, awaiting approval) are answered instead; other states decide at their next check.
 */
export const needsKick = (before: RolloutState): boolean =>
  before.status === 'running' && before.phases[before.currentPhaseIndex]?.status === 'baking';

export type KickOutcome = 'kicked' | 'workflow-moved' | 'start-failed';

/**
 * Hand the rollout over to a fresh execution, so an operator's event is decided at its next check
 * rather than when the watching execution's quiet stretch ends: append ContinuedAsNew (conditional on
 * the stream being where `state` left it), start `<id>--<n+1>`, then stop the old execution.
 *
 * Safe at every step: if the workflow appended first, it has read the operator's event and acts on it
 * (`workflow-moved`, nothing done). Once ContinuedAsNew is stored the old execution is superseded: its
 * next Decide decides nothing and hands over (starting the successor if this start was lost). A
 * failed stop only leaves the old execution checking alarms until that Decide.
 */
export const kickRollout = async (deps: Deps, state: RolloutState, at: string): Promise<KickOutcome> => {
  const old = currentExecution(state);
  const name = continuationName(old);
  try {
    await appendDrafts(deps, state, [{ type: 'ContinuedAsNew', executionName: name }], at);
  } catch (error) {
    if (isConvoyError(error) && error.code === 'conflict') return 'workflow-moved';
    throw error;
  }
  try {
    await deps.workflows.start({
      workflow: 'progressive-rollout',
      name,
      input: {
        rolloutId: state.id,
        phaseIndex: state.currentPhaseIndex,
        loop: { checks: 0, limit: CHECKS_PER_EXECUTION },
      },
    });
  } catch (error) {
    logger.error('rollout kick: the successor did not start; the old execution hands over', {
      error: error as Error,
      rolloutId: state.id,
      execution: name,
    });
    return 'start-failed';
  }
  try {
    await deps.workflows.stop({
      workflow: 'progressive-rollout',
      name: old,
      cause: `Operator action: the rollout goes on in ${name}.`,
    });
  } catch (error) {
    logger.warn('rollout kick: the old execution did not stop; it hands over at its next Decide', {
      error: error as Error,
      rolloutId: state.id,
      execution: old,
    });
  }
  return 'kicked';
};
