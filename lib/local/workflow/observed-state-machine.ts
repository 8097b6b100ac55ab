import { StateMachine, type StateMachineDefinition, type StateMachineOptions } from 'aws-local-stepfunctions';

/** Called synchronously as the engine enters a state, before the state reads its input. */
export type StateObserver = (state: { name: string; type: string; input: unknown }) => void;
/** Called as the engine retries a state, after its own (overridden) pause and before the new attempt. */
export type RetryObserver = (retry: { name: string; retrier: unknown; attempt: number }) => void;

interface EngineLogger {
  dispatchStateEnteredEvent(name: string, type: string, input: unknown): void;
  dispatchStateRetriedEvent(
    name: string,
    type: string,
    input: unknown,
    retrier: unknown,
    attempt: number,
  ): void;
}

type EngineExecute = (
  input: unknown,
  options: { eventLogger?: EngineLogger },
  cleanup: () => void,
) => unknown;

/**
 * A StateMachine of aws-local-stepfunctions whose state entries are observed as they happen.
 *
 * The public event log is an async generator: it reports a state after the state has started, too late
 * to know the input a Wait state reads its duration from, or which task token a Task state was given.
 * This hooks the engine's own (private) state-entered notification of the execution it runs. The hook
 * is checked when the machine is built: an engine version without it fails loudly here, never by
 * silently running unscaled waits.
 */
export const observedStateMachine = (
  definition: StateMachineDefinition,
  options: StateMachineOptions,
  observer: StateObserver,
  onRetry?: RetryObserver,
): StateMachine => {
  const machine = new StateMachine(definition, options);
  const internals = machine as unknown as { execute?: EngineExecute };
  const execute = internals.execute;
  if (typeof execute !== 'function') {
    throw new Error(
      'aws-local-stepfunctions has no StateMachine#execute: the local workflow runner needs 3.x',
    );
  }
  internals.execute = function observedExecute(this: unknown, input, runOptions, cleanup) {
    const logger = runOptions.eventLogger;
    if (typeof logger?.dispatchStateEnteredEvent !== 'function') {
      throw new Error(
        'aws-local-stepfunctions has no state-entered event: the local workflow runner needs 3.x',
      );
    }
    const dispatch = logger.dispatchStateEnteredEvent.bind(logger);
    logger.dispatchStateEnteredEvent = (name, type, stateInput) => {
      observer({ name, type, input: stateInput });
      dispatch(name, type, stateInput);
    };
    if (onRetry) {
      const retried = logger.dispatchStateRetriedEvent.bind(logger);
      logger.dispatchStateRetriedEvent = (name, type, stateInput, retrier, attempt) => {
        onRetry({ name, retrier, attempt });
        retried(name, type, stateInput, retrier, attempt);
      };
    }
    return execute.call(this, input, runOptions, cleanup);
  };
  return machine;
};
