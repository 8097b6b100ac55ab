import { z } from 'zod';
import { nameSchema } from '#domain/core/names.ts';
import { syncFreezes, type SyncResult } from '#app/freezes/sync-freezes.ts';
import { logger } from '#app/logger.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import type { Deps } from '#app/deps.ts';
import { onLambda } from '../shared/lambda-deps.ts';

export const activationInputSchema = z.strictObject({
  reason: z.enum(['window-start', 'window-end', 'rearm']),
  windowId: nameSchema.optional(),
});
export type ActivationInput = z.infer<typeof activationInputSchema>;

/**
 * Invoked by the EventBridge Scheduler schedules of freeze windows (and the local scheduler): updates
 * every environment's freeze guard, publishes FreezeStarted / FreezeEnded and re-arms the next edges.
 * A late or missed firing only delays the guards and notifications: changes are evaluated at commit.
 * Failed scheduler or bus calls fail the invocation (after everything else is done), so they are retried.
 */
export const make =
  (deps: Deps) =>
  async (event: unknown): Promise<SyncResult> => {
    const input = parsePart(activationInputSchema, event, 'body');
    const result = await syncFreezes(deps);
    logger.info('freeze activation', { input, activations: result.activations, armed: result.armed.length });
    if (result.failures.length > 0) throw new Error(`freeze activation: ${result.failures.join('; ')}`);
    return result;
  };

export const handler = onLambda(make);
