import { badRequest } from '#domain/core/errors.ts';
import { hourBucketOf, sumCounts } from '#domain/flags/evaluation-counts.ts';
import type { EvaluationCount } from '#domain/flags/evaluation-counts.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { requestFingerprint } from '#store/idempotency.ts';
import { requireEnvironment } from '../environments/environment-context.ts';
import type { Deps } from '../deps.ts';

const HOUR_MS = 3_600_000;
/** Counters live this long after their hour (the table's TTL drops them). */
export const FLAG_METRICS_RETENTION_MS = 90 * 24 * HOUR_MS;
/** A bucket may end this far past the server's clock (clock skew between hosts). */
export const FLAG_METRICS_SKEW_MS = 5 * 60_000;

export interface FlagMetricsBatch {
  start: string;
  stop: string;
  counts: readonly EvaluationCount[];
}

/**
 * A batch sent with an Idempotency-Key: the key, who sends it and when, and the whole body it came
 * with (its fingerprint binds the key to this batch, as for every keyed route).
 */
export interface KeyedBatch {
  key: string;
  principal: string;
  at: string;
  body: unknown;
}

/** The counter TTL of an hour (`expiresAt`, epoch seconds): the retention after the hour ends. */
export const expiresAtOf = (hour: string): number =>
  Math.floor((Date.parse(`${hour}:00:00Z`) + HOUR_MS + FLAG_METRICS_RETENTION_MS) / 1000);

/**
 * `POST /environments/{env}/flags/metrics`: a provider's batch, counted in the hour its bucket started.
 * A bucket that ends in the future or started before the retention is refused (400) with nothing written.
 * A keyed batch counts once: sent again (a retry after a lost answer, also concurrently) it adds
 * nothing and is answered as the first time; the key with another body is 422 `idempotency.mismatch`.
 */
export const recordFlagMetrics = async (
  deps: Deps,
  catalog: Catalog,
  environment: string,
  batch: FlagMetricsBatch,
  keyed?: KeyedBatch,
): Promise<{ hour: string; counted: number }> => {
  requireEnvironment(catalog, environment);
  const now = deps.now().getTime();
  const start = Date.parse(batch.start);
  if (Date.parse(batch.stop) > now + FLAG_METRICS_SKEW_MS)
    throw badRequest('The metrics bucket ends in the future.', [
      { code: 'metrics.future', path: 'body.bucket.stop', message: 'must not be in the future' },
    ]);
  if (start < now - FLAG_METRICS_RETENTION_MS)
    throw badRequest('The metrics bucket is older than the retention.', [
      { code: 'metrics.expired', path: 'body.bucket.start', message: 'must be within the last 90 days' },
    ]);
  const hour = hourBucketOf(start);
  const counts = sumCounts(batch.counts);
  const batchKey =
    keyed === undefined
      ? undefined
      : {
          key: keyed.key,
          at: keyed.at,
          requestHash: requestFingerprint({
            route: 'flag-metrics',
            body: { batch: JSON.stringify(keyed.body) },
            principal: keyed.principal,
          }),
        };
  await deps.store.flagMetrics.record(environment, hour, counts, expiresAtOf(hour), batchKey);
  return { hour, counted: counts.reduce((sum, c) => sum + c.count, 0) };
};
