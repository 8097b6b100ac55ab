import { ConvoyError } from '#domain/core/errors.ts';
import { countIdentity, sumCounts } from '#domain/flags/evaluation-counts.ts';
import type { EvaluationCount } from '#domain/flags/evaluation-counts.ts';
import { MAX_BATCH_COUNTS } from '#api/flags/flag-metrics.ts';

/** The body of `POST .../flags/metrics` (lib/api/flags/flag-metrics.ts validates it on arrival). */
export interface MetricsBatch {
  appName?: string;
  instanceId?: string;
  bucket: { start: string; stop: string; counts: EvaluationCount[] };
}

/**
 * Delivers one batch of an environment's counts (`POST <api>/environments/{env}/flags/metrics`) under
 * its id (the Idempotency-Key: the server counts a batch once, however often it is sent).
 */
export type MetricsSender = (environment: string, body: MetricsBatch, batchId: string) => Promise<void>;

export interface HttpSenderOptions {
  api: string;
  headers?: Record<string, string>;
  fetch?: typeof globalThis.fetch;
}

export const httpMetricsSender =
  ({ api, headers = {}, fetch = globalThis.fetch }: HttpSenderOptions): MetricsSender =>
  async (environment, body, batchId) => {
    const url = `${api.replace(/\/+$/, '')}/environments/${encodeURIComponent(environment)}/flags/metrics`;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...headers,
        'idempotency-key': batchId,
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new ConvoyError('unavailable', `POST ${url} answered ${response.status}`, {
        context: { url, status: response.status },
      });
    }
  };

export interface EvaluationTelemetryOptions {
  send: MetricsSender;
  now: () => number;
  /** Distinct (flag, variant, reason) counts held between sends; further new ones are dropped (counted in `dropped`). */
  maxEntries?: number;
  appName?: string;
  instanceId?: string;
  /** A new batch's id (default: a random UUID). */
  batchId?: () => string;
}

interface Unsent {
  environment: string;
  body: MetricsBatch;
  id: string;
}

/** The server refused the batch for good (a 4xx but 408 and 429): sending it again cannot help. */
const refusedForGood = (error: unknown): boolean => {
  const status = (error as { context?: { status?: unknown } }).context?.status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
};

/**
 * The provider's evaluation counts, like Unleash's client metrics: counted in memory per (flag,
 * variant, reason), sent as one batch per bucket. The buffer is bounded: once it holds `maxEntries`
 * distinct counts, evaluations of a new combination are dropped (and counted as dropped) until the
 * next send; existing ones keep counting. A failed send is kept as it is, with its id, and sent again
 * first by the next flush: if the server had counted it (the answer was lost), the replay adds nothing.
 * A batch the server refuses for good (4xx) is dropped (its counts go to `dropped`).
 */
export class EvaluationTelemetry {
  readonly #options: EvaluationTelemetryOptions;
  readonly #max: number;
  #counts = new Map<string, EvaluationCount>();
  #start: number | undefined;
  #dropped = 0;
  #unsent: Unsent | undefined;

  constructor(options: EvaluationTelemetryOptions) {
    this.#options = options;
    this.#max = Math.min(options.maxEntries ?? MAX_BATCH_COUNTS, MAX_BATCH_COUNTS);
  }

  /** Evaluations not counted because the buffer was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Counts waiting to be sent (a failed batch's included). */
  get pending(): EvaluationCount[] {
    return sumCounts([...(this.#unsent?.body.bucket.counts ?? []), ...this.#counts.values()]);
  }

  count(flag: string, variant: string | undefined, reason: string, by = 1): void {
    const id = countIdentity({ flag, variant, reason });
    const held = this.#counts.get(id);
    if (held !== undefined) {
      held.count += by;
      return;
    }
    if (this.#counts.size >= this.#max) {
      this.#dropped += by;
      return;
    }
    this.#start ??= this.#options.now();
    this.#counts.set(
      id,
      variant === undefined ? { flag, reason, count: by } : { flag, variant, reason, count: by },
    );
  }

  /** Send a failed batch again (same id), then what was counted since the last send (if anything). */
  async flush(environment: string): Promise<void> {
    if (this.#unsent !== undefined) await this.#deliver(this.#unsent);
    if (this.#counts.size === 0 || this.#start === undefined) return;
    const counts = [...this.#counts.values()];
    const start = this.#start;
    this.#counts = new Map();
    this.#start = undefined;
    const stop = Math.max(start, this.#options.now());
    const { appName, instanceId, batchId = () => globalThis.crypto.randomUUID() } = this.#options;
    const body: MetricsBatch = {
      ...(appName === undefined ? {} : { appName }),
      ...(instanceId === undefined ? {} : { instanceId }),
      bucket: { start: new Date(start).toISOString(), stop: new Date(stop).toISOString(), counts },
    };
    await this.#deliver({ environment, body, id: batchId() });
  }

  async #deliver(batch: Unsent): Promise<void> {
    this.#unsent = batch;
    try {
      await this.#options.send(batch.environment, batch.body, batch.id);
      this.#unsent = undefined;
    } catch (error) {
      if (refusedForGood(error)) {
        this.#unsent = undefined;
        this.#dropped += batch.body.bucket.counts.reduce((sum, c) => sum + c.count, 0);
      }
      throw error;
    }
  }
}
