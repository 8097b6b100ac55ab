import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#store/client.ts';
import { auditEventFromItem } from '#store/items.ts';
import { itemTypes, keys } from '#store/keys.ts';
import { tableDefinition } from '#store/table.ts';
import { auditBusEvent, isStopped, pause, type AuditRelayOptions } from './relay-support.ts';

/**
 * Concurrent requests can commit audit events slightly out of time order, so each poll looks back
 * this far and skips what it has delivered already.
 */
export const POLL_LOOKBACK_MS = 5_000;

const later = (a: string, b: string): string => (a > b ? a : b);

/**
 * Fallback for tables without a stream: read audit events by time through gsi1 (`AUDIT`, `at#chain#seq`),
 * delivering those written since the relay started.
 */
export const pollingRelay = (options: AuditRelayOptions, signal: AbortSignal) => {
  const doc = createDocumentClient({ endpoint: options.endpoint });
  const startedAt = new Date().toISOString();
  let newest = startedAt;
  /** Delivered events inside the look-back window: sort key → `at`. */
  const delivered = new Map<string, string>();

  const poll = async (): Promise<number> => {
    const from = later(startedAt, new Date(Date.parse(newest) - POLL_LOOKBACK_MS).toISOString());
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: options.tableName,
          IndexName: tableDefinition.gsi1.indexName,
          KeyConditionExpression: '#pk = :pk AND #sk >= :from',
          ExpressionAttributeNames: {
            '#pk': tableDefinition.gsi1.partitionKey,
            '#sk': tableDefinition.gsi1.sortKey,
          },
          ExpressionAttributeValues: { ':pk': keys.auditByTimePartition, ':from': from },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const sortKey: unknown = item[tableDefinition.gsi1.sortKey];
        if (typeof sortKey !== 'string' || delivered.has(sortKey) || item.type !== itemTypes.audit) continue;
        const event = auditEventFromItem(item);
        await options.bus.publish(auditBusEvent(event));
        delivered.set(sortKey, event.at);
        if (!Number.isNaN(Date.parse(event.at))) newest = later(newest, event.at);
        count += 1;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    for (const [sortKey, at] of delivered) if (at < from) delivered.delete(sortKey);
    return count;
  };

  return {
    start: () => Promise.resolve(),
    run: async (intervalMs: number) => {
      while (!signal.aborted) {
        try {
          if ((await poll()) === 0) await pause(intervalMs, signal);
        } catch (error) {
          if (isStopped(signal)) break;
          options.onError?.(error);
          await pause(1000, signal);
        }
      }
      doc.destroy();
    },
  };
};
