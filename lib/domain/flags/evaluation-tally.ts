import { countIdentity } from './evaluation-counts.ts';
import type { EvaluationCount } from './evaluation-counts.ts';

/** Server-side counts wait in memory this long before they are written... */
export const TALLY_FLUSH_AFTER_MS = 10_000;
/** ...or until this many distinct counters wait, whichever comes first. */
export const TALLY_MAX_COUNTERS = 5_000;

/** The counts of one environment and hour, ready to be added to its stored counters. */
export interface TalliedBatch {
  environment: string;
  hour: string;
  counts: EvaluationCount[];
}

/**
 * Evaluations counted in memory between writes, as SDKs buffer their metrics: an OFREP answer then
 * costs no write of its own, and the counters of many requests reach the table as one batch per
 * (environment, hour). Time is passed in; `take` empties the tally, so two flushes never write the
 * same counts.
 */
export class EvaluationTally {
  readonly #batches = new Map<
    string,
    { environment: string; hour: string; counts: Map<string, EvaluationCount> }
  >();
  #oldest: number | undefined;
  #counters = 0;

  readonly flushAfterMs: number;
  readonly maxCounters: number;

  constructor(flushAfterMs: number = TALLY_FLUSH_AFTER_MS, maxCounters: number = TALLY_MAX_COUNTERS) {
    this.flushAfterMs = flushAfterMs;
    this.maxCounters = maxCounters;
  }

  /** Distinct counters waiting to be written. */
  get counters(): number {
    return this.#counters;
  }

  add(environment: string, hour: string, counts: readonly EvaluationCount[], at: number): void {
    if (counts.length === 0) return;
    const id = JSON.stringify([environment, hour]);
    let batch = this.#batches.get(id);
    if (batch === undefined) {
      batch = { environment, hour, counts: new Map() };
      this.#batches.set(id, batch);
    }
    for (const count of counts) {
      const identity = countIdentity(count);
      const seen = batch.counts.get(identity);
      if (seen === undefined) this.#counters += 1;
      batch.counts.set(identity, { ...count, count: (seen?.count ?? 0) + count.count });
    }
    this.#oldest ??= at;
  }

  /** Whether the waiting counts should be written now. */
  due(at: number): boolean {
    return (
      this.#oldest !== undefined &&
      (at - this.#oldest >= this.flushAfterMs || this.#counters >= this.maxCounters)
    );
  }

  /** Every waiting batch, in a stable order (environment, hour, count identity); the tally is then empty. */
  take(): TalliedBatch[] {
    const batches = [...this.#batches.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, b]) => ({
        environment: b.environment,
        hour: b.hour,
        counts: [...b.counts.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([, c]) => c),
      }));
    this.#batches.clear();
    this.#oldest = undefined;
    this.#counters = 0;
    return batches;
  }
}
