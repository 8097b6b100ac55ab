import type { EventOf, RolloutEventType } from './events.ts';
import type { RolloutState } from './state.ts';

/**
 * A transition checks that the event fits the state and, only then, updates the state in place.
 * It returns why the event does not fit, or undefined when it was applied.
 */
export type Transition<T extends RolloutEventType> = (
  state: RolloutState,
  event: EventOf<T>,
) => string | undefined;
export type Transitions = { [T in RolloutEventType]: Transition<T> };
