import { reduceRollout } from '#domain/rollout/reduce.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import type { Deps } from '../deps.ts';
import { applyRolloutAction } from './act-on-rollout.ts';

/** Who pauses, in the rollout's events and audit trail, unless the caller names the principal who killed. */
export const KILL_SWITCH_PRINCIPAL = 'flag-kill-switch';

const pausable = new Set(['pending', 'running', 'awaiting-approval']);

/** Whether the rollout is running (or waiting) and a phase of its strategy ramps `flag` in `environment`. */
export const rampsFlag = (state: RolloutState, environment: string, flag: string): boolean =>
  pausable.has(state.status) &&
  (state.strategy?.phases ?? []).some(
    (phase) => phase.flag?.key === flag && phase.environments.includes(environment),
  );

/**
 * A kill switch never waits for a rollout (issue 12 §3): killing a flag pauses every running rollout
 * whose strategy ramps that flag in that environment, through the operator pause path (its event and
 * `RolloutPaused` audit event in one transaction; a release manager resumes it). Already paused or
 * ended rollouts are left alone; one that ended between the read and the pause is skipped.
 */
export const pauseRolloutsRampingFlag = async (
  deps: Deps,
  input: { environment: string; flag: string; reason: string; at: string; by?: string },
): Promise<{ paused: string[] }> => {
  const paused: string[] = [];
  for (const summary of await deps.store.rollouts.list()) {
    const state = reduceRollout(await deps.store.rollouts.events(summary.rolloutId));
    if (!rampsFlag(state, input.environment, input.flag)) continue;
    try {
      await applyRolloutAction(deps, {
        rolloutId: state.id,
        action: 'pause',
        principal: input.by ?? KILL_SWITCH_PRINCIPAL,
        reason: `${input.flag} killed in ${input.environment} at ${input.at}: ${input.reason}`.slice(0, 2000),
      });
      paused.push(state.id);
    } catch (error) {
      // It moved on (ended, or paused by someone else) since it was read: nothing left to pause.
      const now = reduceRollout(await deps.store.rollouts.events(summary.rolloutId));
      if (rampsFlag(now, input.environment, input.flag)) throw error;
    }
  }
  return { paused };
};
