import type { SignedCheckpoint } from '#domain/audit/checkpoint.ts';
import { ConvoyError } from '#domain/core/errors.ts';
import { takeCheckpoint } from '#app/audit/take-checkpoint.ts';
import { logger } from '#app/logger.ts';
import type { Deps } from '#app/deps.ts';
import { onLambda } from '../shared/lambda-deps.ts';

/**
 * Invoked hourly by an EventBridge rule: signs a digest of every audit chain head (KMS) and writes it
 * to the Object Lock bucket. A trail that does not verify is not signed: the invocation fails, and the
 * failure (an alarm on the function's errors) is the alert.
 */
export const make = (deps: Deps) => async (): Promise<{ hash: string; chains: number }> => {
  if (deps.checkpoints === undefined) {
    throw new ConvoyError('unavailable', 'Audit checkpoints are not configured for this function.');
  }
  const signed: SignedCheckpoint = await takeCheckpoint(
    { audit: deps.store.audit, checkpoints: deps.checkpoints },
    { principal: 'convoy-checkpoint', at: deps.now().toISOString() },
  );
  logger.info('audit checkpoint', { hash: signed.hash, chains: signed.digest.chains.length });
  return { hash: signed.hash, chains: signed.digest.chains.length };
};

export const handler = onLambda(make);
