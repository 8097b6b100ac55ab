import { errorNamed, type Execution, type StateJson } from './execution.ts';
import { waitsForTaskToken, type TaskBinding } from './task-bindings.ts';
import type { TaskTokens } from './task-tokens.ts';
import type { TimePolicy } from './time-policy.ts';
import { waitEnd } from './virtual-waits.ts';

export interface TaskHandlerParts {
  time: TimePolicy;
  bindingOf: (where: string, resource: string) => TaskBinding;
  tokens: TaskTokens;
  /** Something watchers may want to see changed (a token now waits). */
  notify: () => void;
}

/**
 * What the engine calls to run Task state `name` of an execution (and, in virtual time, its Wait
 * states): the state's binding within its timeout; a `.waitForTaskToken` task then waits until its
 * `$$.Task.Token` is answered, or its timeout (`States.Timeout`).
 */
export const taskHandler =
  (
    { time, bindingOf, tokens, notify }: TaskHandlerParts,
    execution: Execution,
    name: string,
    state: StateJson,
  ) =>
  async (parameters: unknown): Promise<unknown> => {
    // A retry the engine schedules after an abort must not invoke anything.
    if (execution.record.status !== 'RUNNING')
      throw errorNamed('States.Aborted', 'The execution was aborted.');
    const virtual = time.virtual;
    if (virtual) {
      if (state.Type === 'Wait') {
        await time.sleepUntil(execution, waitEnd(state, parameters, virtual.now()));
        return parameters;
      }
      const pause = execution.retryPauseMs;
      execution.retryPauseMs = 0;
      if (pause > 0) await time.sleepUntil(execution, virtual.now() + pause);
    }
    const input = execution.current?.name === name ? execution.current.input : parameters;
    const deadline = time.taskDeadline(state, input);
    const invoke = bindingOf(name, state.Resource ?? '');
    if (!waitsForTaskToken(state)) return await time.withDeadline(execution, invoke(parameters), deadline);
    // Listen before invoking: the function may resume its own token (a decision that came first).
    const token = execution.task.Token;
    const resumed = tokens.register(token, execution.record.executionId);
    try {
      await time.withDeadline(execution, invoke(parameters), deadline);
      if (tokens.waits(token)) {
        execution.record.waitingFor = [...execution.record.waitingFor, token];
        time.park(execution);
        notify();
      }
      return await time.withDeadline(execution, resumed, deadline);
    } finally {
      tokens.forget(token);
      execution.record.waitingFor = execution.record.waitingFor.filter((t) => t !== token);
    }
  };
