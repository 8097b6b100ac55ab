import type { RolloutState } from './state.ts';
import { expandAlarms, type Strategy } from './strategy.ts';

/** Environments of the current phase still to deploy (a freeze may hold a phase part-way). */
export const undeployedInPhase = (state: RolloutState, index = state.currentPhaseIndex): string[] => {
  const phase = state.phases[index];
  if (!phase) return [];
  const done = new Set(phase.deployments.map((d) => d.environment));
  return phase.environments.filter((environment) => !done.has(environment));
};

/** Every environment the rollout has yet to deploy, in order: the current phase's rest, then later phases. */
export const remainingEnvironments = (state: RolloutState): string[] => [
  ...undeployedInPhase(state),
  ...state.phases.slice(state.currentPhaseIndex + 1).flatMap((phase) => phase.environments),
];

/** The environment the rollout deploys next: the rest of the current phase, else the next phase's first. */
export const nextEnvironment = (state: RolloutState): string | undefined => remainingEnvironments(state)[0];

/**
 * The environments whose health the current check watches: every one the rollout has deployed so far
 * (a problem in any wave rolls back every wave), in phase order, without repeats.
 */
export const watchedEnvironments = (state: RolloutState): string[] => [
  ...new Set(
    state.phases
      .slice(0, state.currentPhaseIndex + 1)
      .flatMap((phase) => phase.deployments.map((d) => d.environment)),
  ),
];

/** The alarm names of the watched environments, without repeats. */
export const watchedAlarms = (state: RolloutState, strategy: Pick<Strategy, 'health'>): string[] => [
  ...new Set(watchedEnvironments(state).flatMap((environment) => expandAlarms(strategy, environment))),
];
