import { hourBucketOf, tallyEvaluations } from '#domain/flags/evaluation-counts.ts';
import type { CountedEvaluation } from '#domain/flags/evaluation-counts.ts';
import type { EvaluationTally } from '#domain/flags/evaluation-tally.ts';
import type { Deps } from '../deps.ts';
import { logger } from '../logger.ts';
import { expiresAtOf } from './flag-metrics.ts';

/**
 * Write what the tally holds, one counter batch per (environment, hour). A batch the store refuses
 * goes back into the tally for the next flush: telemetry never fails an evaluation, and is not lost
 * to one failed write.
 */
export const flushEvaluations = async (deps: Deps, tally: EvaluationTally): Promise<void> => {
  for (const batch of tally.take()) {
    try {
      await deps.store.flagMetrics.record(
        batch.environment,
        batch.hour,
        batch.counts,
        expiresAtOf(batch.hour),
      );
    } catch (error) {
      tally.add(batch.environment, batch.hour, batch.counts, deps.now().getTime());
      logger.warn('Evaluation counts kept for the next flush', {
        environment: batch.environment,
        hour: batch.hour,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
};

/**
 * Server-side evaluations (OFREP) count themselves in the current hour: into the composition root's
 * tally when it has one (written when due, so an answer waits on no counter write), else at once.
 */
export const countEvaluations = async (
  deps: Deps,
  environment: string,
  evaluations: readonly CountedEvaluation[],
): Promise<void> => {
  if (evaluations.length === 0) return;
  const at = deps.now().getTime();
  const hour = hourBucketOf(at);
  const counts = tallyEvaluations(evaluations);
  const tally = deps.evaluationTally;
  if (tally === undefined) {
    await deps.store.flagMetrics.record(environment, hour, counts, expiresAtOf(hour));
    return;
  }
  tally.add(environment, hour, counts, at);
  if (tally.due(at)) await flushEvaluations(deps, tally);
};
