import middy from '@middy/core';
import type { z } from 'zod';
import { isConvoyError } from '#domain/core/errors.ts';
import type { Deps } from '#app/deps.ts';
import { logger } from '#app/logger.ts';

/**
 * The error a workflow task reports to Step Functions. Lambda reports the error's `name` as its
 * errorType, which is what a state's Retry and Catch match: `Convoy.Unavailable` and `Convoy.Conflict`
 * are worth retrying, the others go to the state's Catch.
 */
export class WorkflowTaskError extends Error {
  constructor(name: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}

/** `not-found` → `Convoy.NotFound`: the Step Functions error name of a Convoy error code. */
export const workflowErrorName = (code: string): string =>
  `Convoy.${code
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}`;

const toTaskError = (error: unknown): WorkflowTaskError => {
  if (error instanceof WorkflowTaskError) return error;
  if (isConvoyError(error))
    return new WorkflowTaskError(workflowErrorName(error.code), error.message, { cause: error });
  return new WorkflowTaskError('Convoy.Internal', 'The workflow task failed unexpectedly.', { cause: error });
};

/**
 * A Step Functions task handler's factory: the payload is validated with `schema` (a bad payload is
 * `Convoy.BadRequest`: the definition and the handler disagree), the work gets the deps the handler was
 * made with, and every failure leaves as a WorkflowTaskError whose name the state machine can match.
 */
export const workflowHandler =
  <S extends z.ZodType, R>(schema: S, work: (input: z.infer<S>, deps: Deps) => Promise<R>) =>
  (deps: Deps): middy.MiddyfiedHandler<unknown, R> =>
    middy<unknown, R>().handler(async (event) => {
      const parsed = schema.safeParse(event);
      if (!parsed.success) {
        throw new WorkflowTaskError(
          'Convoy.BadRequest',
          `Invalid task payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'} ${i.message}`).join('; ')}`,
        );
      }
      try {
        return await work(parsed.data, deps);
      } catch (error) {
        const taskError = toTaskError(error);
        if (taskError.name === 'Convoy.Internal' || taskError.name === 'Convoy.Unavailable')
          logger.error('workflow task failed', { error: error as Error });
        throw taskError;
      }
    });
