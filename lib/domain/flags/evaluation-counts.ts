/**
 * Evaluation telemetry: how many times a flag served a variant for a reason. Counts are summed by
 * (flag, variant, reason); an evaluation that served no value (reason ERROR) has no variant.
 */
export interface EvaluationCount {
  flag: string;
  variant?: string;
  reason: string;
  count: number;
}

/** What one evaluation contributes: a flag evaluation result, keyed. */
export interface CountedEvaluation {
  key: string;
  variant?: string | undefined;
  reason: string;
}

/** Telemetry is kept in hourly buckets: the UTC hour of an instant, `yyyy-mm-ddThh`. */
export const hourBucketOf = (at: number): string => new Date(at).toISOString().slice(0, 13);

/** The identity of a count: two counts with the same identity add up. */
export const countIdentity = (count: Pick<EvaluationCount, 'flag' | 'variant' | 'reason'>): string =>
  JSON.stringify([count.flag, count.variant ?? null, count.reason]);

const countOf = (
  flag: string,
  variant: string | undefined,
  reason: string,
  count: number,
): EvaluationCount => (variant === undefined ? { flag, reason, count } : { flag, variant, reason, count });

/** Counts with the same identity summed, sorted by identity (a stable order for storage and tests). */
export const sumCounts = (counts: readonly EvaluationCount[]): EvaluationCount[] => {
  const sums = new Map<string, EvaluationCount>();
  for (const c of counts) {
    const id = countIdentity(c);
    const seen = sums.get(id);
    sums.set(id, countOf(c.flag, c.variant, c.reason, (seen?.count ?? 0) + c.count));
  }
  return [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
};

/** The counts of a list of evaluations: each evaluation counts one. */
export const tallyEvaluations = (evaluations: readonly CountedEvaluation[]): EvaluationCount[] =>
  sumCounts(evaluations.map((e) => countOf(e.key, e.variant, e.reason, 1)));
