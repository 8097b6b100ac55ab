import { isConvoyError } from '#domain/core/errors.ts';
import { currentExecutionName } from '#domain/rollout/execution-end.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import type { Deps } from '../deps.ts';
import { logger } from '../logger.ts';
import {
  appendDrafts,
  CHECKS_PER_EXECUTION,
  continuationName,
  rolloutWorkflowInput,
} from './rollout-stream.ts';

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
  const old = currentExecutionName(state);
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
      input: rolloutWorkflowInput(state.id, CHECKS_PER_EXECUTION, state.currentPhaseIndex),
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
