import { randomUUID as randomToken } from 'node:crypto';
import { ConvoyError } from '#domain/core/errors.ts';
import { problem } from '#domain/core/problem.ts';
import type { EvaluationCount } from '#domain/flags/evaluation-counts.ts';
import { expr, type Expression } from './expressions.ts';
import { IDEMPOTENCY_TTL_MS, idempotencyPutCondition } from './idempotency.ts';
import { num, optStr, str } from './items.ts';
import { itemTypes, keys } from './keys.ts';
import type { FlagMetricsBatchKey, FlagMetricsStore, HourlyEvaluationCount } from './ports.ts';
import { internal } from './sdk-errors.ts';
import { CONDITION_FAILED, type Item, type TableClient } from './table-client.ts';

/** At most this many counters are updated at once by one batch. */
const PARALLEL_UPDATES = 8;
/** Counters one transaction of a keyed batch adds to, beside its key item (TransactWriteItems: 100). */
export const BATCH_PART_COUNTS = 99;

const batchMismatch = (key: string): ConvoyError =>
  new ConvoyError(
    'idempotency.mismatch',
    `Idempotency-Key ${key} was used for another metrics batch (another body or principal) within the ` +
      'last 24 hours; a key names one batch. Send this batch with a new key.',
    {
      context: { idempotencyKey: key },
      problems: [
        problem('idempotency.mismatch', 'was already used for another metrics batch in the last 24 hours', {
          path: 'header.idempotency-key',
        }),
      ],
    },
  );

/**
 * Flag evaluation telemetry as hourly counters. Each count is one atomic `ADD count :n` on its
 * (environment, hour, flag, variant, reason) item, so concurrent batches sum; the item's TTL
 * (`expiresAt`, epoch seconds) lets DynamoDB drop it after the retention. The condition keeps the
 * counter from ever landing on an item of another type. Counts are measurements, not facts of the
 * audit chain: no audit event (as the repeat counters of lib/store/rejection-repeats.ts).
 */
export class DynamoDbFlagMetricsStore implements FlagMetricsStore {
  readonly #table: TableClient;

  constructor(table: TableClient) {
    this.#table = table;
  }

  async record(
    environment: string,
    hour: string,
    counts: readonly EvaluationCount[],
    expiresAt: number,
    batch?: FlagMetricsBatchKey,
  ): Promise<void> {
    if (batch !== undefined) {
      await this.#recordKeyed(environment, hour, counts, expiresAt, batch);
      return;
    }
    const queue = [...counts];
    const worker = async (): Promise<void> => {
      for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
        const { key, values } = counter(environment, hour, c, expiresAt);
        // The condition fails only if the key holds another item type, which key builders rule out.
        if (!(await this.#table.addAndSetIf(key, 'count', c.count, values, metricCondition)))
          throw notAMetric(key);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_UPDATES, counts.length) }, worker));
  }

  /**
   * A keyed batch, part by part (at most BATCH_PART_COUNTS counters each): one transaction puts the
   * part's key item (absent, or expired) and adds its counts, so a part is counted exactly once
   * however often, and however concurrently, the batch is sent. A part already counted is skipped:
   * a batch whose first send failed half way counts its missing parts when sent again.
   */
  async #recordKeyed(
    environment: string,
    hour: string,
    counts: readonly EvaluationCount[],
    expiresAt: number,
    batch: FlagMetricsBatchKey,
  ): Promise<void> {
    for (let part = 0; part * BATCH_PART_COUNTS < counts.length; part += 1) {
      const slice = counts.slice(part * BATCH_PART_COUNTS, (part + 1) * BATCH_PART_COUNTS);
      const marker: Item = {
        ...keys.flagMetricsBatch(environment, batch.key, part),
        type: itemTypes.flagMetricsBatch,
        environment,
        idempotencyKey: batch.key,
        requestHash: batch.requestHash,
        createdAt: batch.at,
        // The table's TTL attribute (epoch seconds); expiry never depends on DynamoDB's removal.
        expiresAt: Math.ceil((Date.parse(batch.at) + IDEMPOTENCY_TTL_MS) / 1000),
      };
      const items = [
        this.#table.putOp(marker, idempotencyPutCondition(batch.at)),
        ...slice.map((c) => {
          const { key, values } = counter(environment, hour, c, expiresAt);
          return this.#table.addOp(key, 'count', c.count, values, metricCondition);
        }),
      ];
      const outcome = await this.#table.transact(items, randomToken());
      if (outcome.status === 'committed') continue;
      const held = outcome.status === 'cancelled' ? outcome.reasons[0] : undefined;
      if (held?.code !== CONDITION_FAILED) {
        const failed = outcome.status === 'cancelled' ? outcome.reasons.map((r) => r.code).join(', ') : '';
        throw internal(new Error(`metrics batch ${batch.key} part ${part}: ${outcome.status} ${failed}`));
      }
      if (held.item?.requestHash !== batch.requestHash) throw batchMismatch(batch.key);
    }
  }

  async list(environment: string, fromHour: string, toHour: string): Promise<HourlyEvaluationCount[]> {
    const { items } = await this.#table.query({
      keyCondition: expr('#pk = :pk AND #sk BETWEEN :from AND :to', {
        pk: keys.flagMetricsPartition(environment),
        from: keys.flagMetricHour(fromHour),
        // `$` sorts after `#`: every item of the last hour is included.
        to: `${keys.flagMetricHour(toHour)}$`,
      }),
    });
    return items.map((item) => {
      const variant = optStr(item, 'variant');
      const base = { hour: str(item, 'hour'), flag: str(item, 'flag'), reason: str(item, 'reason') };
      return { ...base, ...(variant === undefined ? {} : { variant }), count: num(item, 'count') };
    });
  }
}

const metricCondition: Expression = expr('attribute_not_exists(#pk) OR #type = :type', {
  type: itemTypes.flagMetric,
});

const notAMetric = (key: { pk: string; sk: string }): Error =>
  internal(new Error(`item ${key.pk}/${key.sk} is not a flag metric`));

/** The counter item of one count: its key and the description it carries. */
const counter = (environment: string, hour: string, c: EvaluationCount, expiresAt: number) => ({
  key: keys.flagMetric(environment, hour, c.flag, c.variant, c.reason),
  values: {
    type: itemTypes.flagMetric,
    environment,
    hour,
    flag: c.flag,
    variant: c.variant,
    reason: c.reason,
    expiresAt,
  },
});
