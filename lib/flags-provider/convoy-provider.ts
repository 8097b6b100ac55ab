import type {
  EvaluationContext as OpenFeatureContext,
  JsonValue,
  Provider,
  ResolutionDetails,
} from '@openfeature/server-sdk';
import { ErrorCode, OpenFeatureEventEmitter, ProviderEvents } from '@openfeature/server-sdk';
import { evaluateKey } from '#domain/flags/evaluate.ts';
import { flagEnvironment } from '#api/flags/flag-set.ts';
import type { FlagType, FlagValue } from '#domain/flags/flag.ts';
import type { FlagSet } from '#api/flags/flag-set.ts';
import { changedFlags } from './changed-flags.ts';
import type { FlagSetLoader, HttpLoaderOptions } from './flag-set-loader.ts';
import { fileFlagSetLoader, httpFlagSetLoader } from './flag-set-loader.ts';
import { toConvoyContext, toResolution } from './resolution.ts';
import { EvaluationTelemetry, httpMetricsSender } from './evaluation-telemetry.ts';
import type { MetricsSender } from './evaluation-telemetry.ts';

/** The API (ETag polling), a flag-set file (offline), or any loader (AppConfig, a test). */
export type ConvoyProviderSource =
  HttpLoaderOptions | { file: string; environment?: string } | { loader: FlagSetLoader };

export interface ConvoyProviderOptions {
  source: ConvoyProviderSource;
  /** Milliseconds between ETag polls; 0 never polls. Default 30 s. */
  pollIntervalMs?: number;
  /** The clock DATE constraints compare with (epoch ms). */
  now?: () => number;
  /**
   * Evaluation telemetry: counts per flag, variant and reason, sent in batches every `intervalMs`
   * (default 60 s; 0 sends only on close and `flushMetrics()`) and on close. On by default with the
   * API source (sent to the API); with another source, on only when `send` is given. `false`: off.
   */
  telemetry?:
    | false
    | {
        intervalMs?: number;
        maxEntries?: number;
        send?: MetricsSender;
        appName?: string;
        instanceId?: string;
      };
}

const senderOf = (
  source: ConvoyProviderSource,
  telemetry: ConvoyProviderOptions['telemetry'],
): MetricsSender | undefined => {
  if (telemetry === false) return undefined;
  if (telemetry?.send !== undefined) return telemetry.send;
  if ('api' in source)
    return httpMetricsSender({
      api: source.api,
      ...(source.headers === undefined ? {} : { headers: source.headers }),
      ...(source.fetch === undefined ? {} : { fetch: source.fetch }),
    });
  return undefined;
};

const loaderOf = (source: ConvoyProviderSource): FlagSetLoader => {
  if ('loader' in source) return source.loader;
  if ('file' in source) return fileFlagSetLoader(source.file, source.environment);
  return httpFlagSetLoader(source);
};

/**
 * An OpenFeature server provider that evaluates Convoy flags in process: it loads the environment's
 * flag set once, evaluates locally and synchronously (lib/domain/flags), and refreshes by polling with
 * the set's ETag, emitting PROVIDER_CONFIGURATION_CHANGED with the changed keys. A failed poll keeps
 * serving the last set and emits PROVIDER_STALE; the next good poll emits PROVIDER_READY.
 */
export class ConvoyProvider implements Provider {
  readonly metadata = { name: 'Convoy' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  readonly #load: FlagSetLoader;
  readonly #interval: number;
  readonly #now: () => number;
  #set: FlagSet | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stale = false;
  #closed = false;
  readonly #telemetry: EvaluationTelemetry | undefined;
  readonly #telemetryInterval: number;
  #telemetryTimer: ReturnType<typeof setInterval> | undefined;

  constructor({ source, pollIntervalMs = 30_000, now = Date.now, telemetry }: ConvoyProviderOptions) {
    this.#load = loaderOf(source);
    this.#interval = pollIntervalMs;
    this.#now = now;
    const send = senderOf(source, telemetry);
    const { intervalMs = 60_000, maxEntries, appName, instanceId } = telemetry || {};
    this.#telemetryInterval = intervalMs;
    this.#telemetry =
      send === undefined
        ? undefined
        : new EvaluationTelemetry({
            send,
            now,
            ...(maxEntries === undefined ? {} : { maxEntries }),
            ...(appName === undefined ? {} : { appName }),
            ...(instanceId === undefined ? {} : { instanceId }),
          });
  }

  /** The evaluation counts not sent yet, and how many evaluations the full buffer dropped. */
  get metrics(): {
    pending: { flag: string; variant?: string; reason: string; count: number }[];
    dropped: number;
  } {
    return { pending: this.#telemetry?.pending ?? [], dropped: this.#telemetry?.dropped ?? 0 };
  }

  /** Send the evaluation counts now (the interval and close do this). */
  async flushMetrics(): Promise<void> {
    if (this.#set !== undefined) await this.#telemetry?.flush(this.#set.environment);
  }

  /** The set being served (environment, version, ETag), once initialised. */
  get flagSet(): FlagSet | undefined {
    return this.#set;
  }

  async initialize(): Promise<void> {
    this.#closed = false;
    this.#set = await this.#load(undefined);
    if (this.#set === undefined)
      throw new Error('the flag-set loader answered "not modified" to a first load');
    this.#schedule();
    if (this.#telemetry !== undefined && this.#telemetryInterval > 0 && this.#telemetryTimer === undefined) {
      this.#telemetryTimer = setInterval(
        () => void this.flushMetrics().catch(() => undefined),
        this.#telemetryInterval,
      );
      this.#telemetryTimer.unref();
    }
  }

  /** Stops polling and sending, and sends the last counts (a failed last send is not retried). */
  async onClose(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearInterval(this.#telemetryTimer);
    this.#telemetryTimer = undefined;
    await this.flushMetrics().catch(() => undefined);
  }

  /** Load the set again now (the poll does this): the keys that changed, emitted if any. */
  async refresh(): Promise<string[]> {
    const next = await this.#load(this.#set?.etag);
    if (this.#stale) {
      this.#stale = false;
      this.events.emit(ProviderEvents.Ready);
    }
    if (next === undefined || this.#set === undefined) return [];
    const changed = changedFlags(this.#set, next);
    this.#set = next;
    if (changed.length > 0) {
      this.events.emit(ProviderEvents.ConfigurationChanged, {
        flagsChanged: changed,
        message: `flag set ${next.environment} v${next.version}`,
      });
    }
    return changed;
  }

  /** Synchronous evaluation, for callers that bypass the SDK (and for the SDK's resolvers below). */
  resolve<T extends FlagValue>(
    key: string,
    type: FlagType,
    defaultValue: T,
    context: OpenFeatureContext,
  ): ResolutionDetails<T> {
    const set = this.#set;
    if (set === undefined) {
      this.#telemetry?.count(key, undefined, 'ERROR');
      return {
        value: defaultValue,
        reason: 'ERROR',
        errorCode: ErrorCode.PROVIDER_NOT_READY,
        errorMessage: 'the Convoy flag set is not loaded',
      };
    }
    const env = flagEnvironment(set, this.#now());
    const result = evaluateKey(key, toConvoyContext(context), env, { type });
    this.#telemetry?.count(key, result.variant, result.reason);
    return toResolution(result, defaultValue);
  }

  resolveBooleanEvaluation(key: string, defaultValue: boolean, context: OpenFeatureContext) {
    return Promise.resolve(this.resolve(key, 'boolean', defaultValue, context));
  }

  resolveStringEvaluation(key: string, defaultValue: string, context: OpenFeatureContext) {
    return Promise.resolve(this.resolve(key, 'string', defaultValue, context));
  }

  resolveNumberEvaluation(key: string, defaultValue: number, context: OpenFeatureContext) {
    return Promise.resolve(this.resolve(key, 'number', defaultValue, context));
  }

  resolveObjectEvaluation<T extends JsonValue>(key: string, defaultValue: T, context: OpenFeatureContext) {
    return Promise.resolve(this.resolve<T>(key, 'json', defaultValue, context));
  }

  #schedule(): void {
    if (this.#interval <= 0 || this.#closed) return;
    this.#timer = setTimeout(() => void this.#poll(), this.#interval);
    this.#timer.unref();
  }

  async #poll(): Promise<void> {
    try {
      await this.refresh();
    } catch (error) {
      if (!this.#stale) {
        this.#stale = true;
        this.events.emit(ProviderEvents.Stale, { message: `flag set refresh failed: ${String(error)}` });
      }
    }
    this.#schedule();
  }
}
