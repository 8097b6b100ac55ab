import { ConvoyError } from '#domain/core/errors.ts';
import { countIdentity } from '#domain/flags/evaluation-counts.ts';
import type { EvaluationCount } from '#domain/flags/evaluation-counts.ts';
import { MAX_BATCH_COUNTS } from '#api/flags/flag-metrics.ts';

/** The body of `POST .../flags/metrics` (lib/api/flags/flag-metrics.ts validates it on arrival). */
export interface MetricsBatch {
  appName?: string;
  instanceId?: string;
  bucket: { start: string; stop: string; counts: EvaluationCount[] };
}

/** Delivers one batch of an environment's counts (`POST <api>/environments/{env}/flags/metrics`). */
export type MetricsSender = (environment: string, body: MetricsBatch) => Promise<void>;

export interface HttpSenderOptions {
  api: string;
  headers?: Record<string, string>;
  fetch?: typeof globalThis.fetch;
}

export const httpMetricsSender =
  ({ api, headers = {}, fetch = globalThis.fetch }: HttpSenderOptions): MetricsSender =>
  async (environment, body) => {
    const url = `${api.replace(/\/+$/, '')}/environments/${encodeURIComponent(environment)}/flags/metrics`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
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
}

/**
 * The provider's evaluation counts, like Unleash's client metrics: counted in memory per (flag,
 * variant, reason), sent as one batch per bucket. The buffer is bounded: once it holds `maxEntries`
 * distinct counts, evaluations of a new combination are dropped (and counted as dropped) until the
 * next send; existing ones keep counting. A failed send puts its counts back (within the bound).
 */
export class EvaluationTelemetry {
  readonly #options: EvaluationTelemetryOptions;
  readonly #max: number;
  #counts = new Map<string, EvaluationCount>();
  #start: number | undefined;
  #dropped = 0;

  constructor(options: EvaluationTelemetryOptions) {
    this.#options = options;
    this.#max = Math.min(options.maxEntries ?? MAX_BATCH_COUNTS, MAX_BATCH_COUNTS);
  }

  /** Evaluations not counted because the buffer was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Counts waiting to be sent. */
  get pending(): EvaluationCount[] {
    return [...this.#counts.values()].map((c) => ({ ...c }));
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

  /** Send what was counted since the last send (nothing when nothing was counted). */
  async flush(environment: string): Promise<void> {
    if (this.#counts.size === 0 || this.#start === undefined) return;
    const counts = [...this.#counts.values()];
    const start = this.#start;
    this.#counts = new Map();
    this.#start = undefined;
    const stop = Math.max(start, this.#options.now());
    const { appName, instanceId } = this.#options;
    try {
      await this.#options.send(environment, {
        ...(appName === undefined ? {} : { appName }),
        ...(instanceId === undefined ? {} : { instanceId }),
        bucket: { start: new Date(start).toISOString(), stop: new Date(stop).toISOString(), counts },
      });
    } catch (error) {
      for (const c of counts) this.count(c.flag, c.variant, c.reason, c.count);
      // The failed counts are the older ones: the bucket starts with them.
      this.#start = start;
      throw error;
    }
  }
}
