import { reduceRollout } from '#domain/rollout/reduce.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import type { Deps } from '../deps.ts';

/** The newest rollouts (up to limit), each reduced from its event stream. */
export const listRollouts = async (deps: Deps, limit: number): Promise<RolloutState[]> =>
  Promise.all(
    (await deps.store.rollouts.list(limit)).map(async (s) =>
      reduceRollout(await deps.store.rollouts.events(s.rolloutId)),
    ),
  );
