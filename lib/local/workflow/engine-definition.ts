import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { StateJson } from './execution.ts';
import { virtualWaitState } from './virtual-waits.ts';

/** Under setTimeout's 2^31-1 ms ceiling: the engine's own task timer; the runner enforces the real one. */
const ENGINE_TASK_TIMEOUT_SECONDS = 2_000_000;

/**
 * What the local engine runs: the definition with every top-level Task's timeout taken over by the
 * runner (the engine would evaluate TimeoutSecondsPath against the Parameters output, not the state
 * input, and would stop any task after 60 s by default; Step Functions has no default timeout). In
 * virtual time, Wait states become tasks the runner parks on the virtual clock.
 */
export const engineDefinition = (
  definition: StateMachineDefinition,
  virtual: boolean,
): StateMachineDefinition => {
  const states = Object.fromEntries(
    Object.entries(definition.States as Record<string, StateJson>).map(([name, state]) => {
      if (virtual && state.Type === 'Wait') return [name, virtualWaitState(state)];
      if (state.Type !== 'Task') return [name, state];
      const {
        TimeoutSeconds: _timeout,
        TimeoutSecondsPath: _timeoutPath,
        HeartbeatSeconds: _heartbeat,
        HeartbeatSecondsPath: _heartbeatPath,
        ...rest
      } = state;
      return [name, { ...rest, TimeoutSeconds: ENGINE_TASK_TIMEOUT_SECONDS }];
    }),
  );
  return { ...definition, States: states } as StateMachineDefinition;
};
