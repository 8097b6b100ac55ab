import type { EvaluationCount } from '#domain/flags/evaluation-counts.ts';
import { expr } from './expressions.ts';
import { num, optStr, str } from './items.ts';
import { itemTypes, keys } from './keys.ts';
import type { FlagMetricsStore, HourlyEvaluationCount } from './ports.ts';
import { internal } from './sdk-errors.ts';
import type { TableClient } from './table-client.ts';

/** At most this many counters are updated at once by one batch. */
const PARALLEL_UPDATES = 8;

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
  ): Promise<void> {
    const condition = expr('attribute_not_exists(#pk) OR #type = :type', { type: itemTypes.flagMetric });
    const queue = [...counts];
    const worker = async (): Promise<void> => {
      for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
        const key = keys.flagMetric(environment, hour, c.flag, c.variant, c.reason);
        const values = {
          type: itemTypes.flagMetric,
          environment,
          hour,
          flag: c.flag,
          variant: c.variant,
          reason: c.reason,
          expiresAt,
        };
        // The condition fails only if the key holds another item type, which key builders rule out.
        if (!(await this.#table.addAndSetIf(key, 'count', c.count, values, condition)))
          throw internal(new Error(`item ${key.pk}/${key.sk} is not a flag metric`));
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_UPDATES, counts.length) }, worker));
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
