import { ConvoyError } from '#domain/core/errors.ts';
import { errorNamed } from './execution.ts';
import { jsonCopy } from './task-bindings.ts';

interface Waiter {
  executionId: string;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The task tokens `.waitForTaskToken` tasks wait for: registered as the task is entered, resumed by
 * `sendTaskSuccess`/`sendTaskFailure`, forgotten when the task or its execution ends. Answering a
 * token nobody waits for is stale, as Step Functions says. `wake` hears which execution a resumed
 * token belongs to, before the task sees the answer.
 */
export const createTaskTokens = (wake: (executionId: string) => void) => {
  const waiters = new Map<string, Waiter>();

  const take = (token: string): Waiter => {
    const waiter = waiters.get(token);
    if (waiter === undefined) {
      throw new ConvoyError('conflict', 'The workflow no longer waits for this task token.', {
        context: { staleTaskToken: true },
      });
    }
    waiters.delete(token);
    wake(waiter.executionId);
    return waiter;
  };

  return {
    /** Listens for `token` (before the task is invoked: it may resume its own token); the answer. */
    register(token: string, executionId: string): Promise<unknown> {
      const resumed = new Promise<unknown>((resolve, reject) => {
        waiters.set(token, { executionId, resolve, reject });
      });
      resumed.catch(() => undefined);
      return resumed;
    },
    /** Whether `token` still waits (its task's invocation may have answered it already). */
    waits(token: string): boolean {
      return waiters.has(token);
    },
    forget(token: string): void {
      waiters.delete(token);
    },
    resume(token: string, output: Record<string, unknown>): void {
      take(token).resolve(jsonCopy(output));
    },
    fail(token: string, error: string, cause: string): void {
      take(token).reject(errorNamed(error, cause));
    },
    /** The execution was stopped: its tokens no longer wait. */
    forgetExecution(executionId: string): void {
      for (const [token, waiter] of waiters) if (waiter.executionId === executionId) waiters.delete(token);
    },
    clear(): void {
      waiters.clear();
    },
  };
};

export type TaskTokens = ReturnType<typeof createTaskTokens>;
