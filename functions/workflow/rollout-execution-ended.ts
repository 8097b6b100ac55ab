import { z } from 'zod';
import { executionEndStatuses } from '#domain/rollout/execution-end.ts';
import { getDeps } from '../shared/deps.ts';
import { logger } from '#app/logger.ts';
import { recordExecutionEnd, type ExecutionEndOutcome } from '#app/rollouts/record-execution-end.ts';

/** EventBridge's "Step Functions Execution Status Change" event (the fields this reads). */
const eventSchema = z.object({
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    name: z.string().min(1).max(80),
    status: z.enum(executionEndStatuses),
    /** The execution's input as JSON text: `{ rolloutId, … }`. */
    input: z.string().nullish(),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  }),
});

/** The rollout an execution ran: its input says; else its name does (`<id>` or `<id>--<n>`). */
const rolloutOf = (name: string, input: string | null | undefined): string => {
  try {
    return z.object({ rolloutId: z.string().min(1) }).parse(JSON.parse(input ?? '')).rolloutId;
  } catch {
    return name.replace(/--\d+$/, '');
  }
};

/**
 * The target of the EventBridge rule on the progressive-rollout state machine's executions that fail,
 * time out or are stopped (and of the local runner's end of execution): the rollout learns that its
 * workflow ended, and pauses or rolls back (lib/app/rollouts/record-execution-end.ts). A failure
 * throws, so the asynchronous invocation is retried.
 */
export const handler = async (event: unknown): Promise<ExecutionEndOutcome> => {
  const { detail } = eventSchema.parse(event);
  const rolloutId = rolloutOf(detail.name, detail.input);
  const outcome = await recordExecutionEnd(getDeps(), {
    rolloutId,
    executionName: detail.name,
    status: detail.status,
    error: detail.error ?? undefined,
    cause: detail.cause ?? undefined,
  });
  logger.info('rollout execution ended', {
    rolloutId,
    execution: detail.name,
    status: detail.status,
    outcome,
  });
  return outcome;
};
