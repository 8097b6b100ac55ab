import type { RolloutState } from '../rollout/state.ts';
import { isTerminal } from '../rollout/state.ts';
import type { RunningRollout } from './impact-model.ts';

/** The rollouts still running, each with its bundle (`name@version`) and every environment of its strategy. */
export const runningRollouts = (states: readonly RolloutState[]): RunningRollout[] =>
  states.flatMap((state): RunningRollout[] =>
    state.bundle === null || isTerminal(state.status)
      ? []
      : [
          {
            id: state.id,
            bundle: `${state.bundle.name}@${state.bundle.version}`,
            environments: [...new Set(state.strategy?.phases.flatMap((p) => p.environments) ?? [])],
          },
        ],
  );
