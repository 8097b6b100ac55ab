import {
  DescribeStreamCommand,
  ExpiredIteratorException,
  TrimmedDataAccessException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type ShardIteratorType,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { auditEventFromItem } from '#store/items.ts';
import { isAuditInsert } from './audit-filter.ts';
import { pollingRelay } from './audit-poller.ts';
import { auditBusEvent, isStopped, pause, type AuditRelayOptions } from './relay-support.ts';
import { createLocalStreamsClient } from './local-clients.ts';

export interface AuditRelay {
  mode: 'streams' | 'polling';
  stop(): Promise<void>;
}

/** The outbox relay: DynamoDB Streams → audit filter → local bus (the embedded EventBridge Pipe). */
const streamsRelay = (options: AuditRelayOptions & { streamArn: string }, signal: AbortSignal) => {
  const streams = createLocalStreamsClient(options.endpoint);
  const { streamArn } = options;
  const cursors = new Map<string, { iterator: string | undefined; after?: string }>();
  const known = new Set<string>();

  const iteratorFor = async (shardId: string, type: ShardIteratorType, after?: string) =>
    (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : type,
          ...(after ? { SequenceNumber: after } : {}),
        }),
      )
    ).ShardIterator;

  /** Open shards present at start are read from now on; shards that appear later, from their start. */
  const discover = async (initial: boolean): Promise<void> => {
    let start: string | undefined;
    do {
      const { StreamDescription: description } = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      for (const shard of description?.Shards ?? []) {
        const shardId = shard.ShardId;
        if (!shardId || known.has(shardId)) continue;
        known.add(shardId);
        if (initial && shard.SequenceNumberRange?.EndingSequenceNumber !== undefined) continue;
        cursors.set(shardId, { iterator: await iteratorFor(shardId, initial ? 'LATEST' : 'TRIM_HORIZON') });
      }
      start = description?.LastEvaluatedShardId;
    } while (start);
  };

  const deliver = async (records: StreamRecord[], cursor: { after?: string }): Promise<number> => {
    let delivered = 0;
    for (const record of records) {
      cursor.after = record.dynamodb?.SequenceNumber ?? cursor.after;
      const image = record.dynamodb?.NewImage;
      if (!image || !isAuditInsert(record)) continue;
      const event = auditEventFromItem(unmarshall(image));
      await options.bus.publish(auditBusEvent(event));
      delivered += 1;
    }
    return delivered;
  };

  const poll = async (): Promise<number> => {
    let delivered = 0;
    for (const [shardId, cursor] of cursors) {
      if (!cursor.iterator) {
        cursors.delete(shardId); // the shard closed and is drained
        continue;
      }
      try {
        const out = await streams.send(
          new GetRecordsCommand({ ShardIterator: cursor.iterator, Limit: 1000 }),
        );
        cursor.iterator = out.NextShardIterator;
        delivered += await deliver(out.Records ?? [], cursor);
      } catch (error) {
        if (error instanceof ExpiredIteratorException)
          cursor.iterator = await iteratorFor(shardId, 'LATEST', cursor.after);
        // DynamoDB Local: an iterator taken on an empty shard reads as trimmed once another table is
        // created; every record in that shard came after it, so read the shard from its start.
        else if (error instanceof TrimmedDataAccessException)
          cursor.iterator = await iteratorFor(shardId, 'TRIM_HORIZON', cursor.after);
        else throw error;
      }
    }
    return delivered;
  };

  return {
    start: () => discover(true),
    run: async (intervalMs: number) => {
      let lastDiscovery = Date.now();
      await pause(intervalMs, signal); // nothing is new yet
      while (!signal.aborted) {
        try {
          const delivered = await poll();
          if (Date.now() - lastDiscovery > 1000) {
            await discover(false);
            lastDiscovery = Date.now();
          }
          if (delivered === 0) await pause(intervalMs, signal);
        } catch (error) {
          if (isStopped(signal)) break;
          options.onError?.(error);
          await pause(1000, signal);
        }
      }
      streams.destroy();
    },
  };
};

/** Start relaying audit events written from now on; resolves once the relay is listening. */
export const startAuditRelay = async (options: AuditRelayOptions): Promise<AuditRelay> => {
  const controller = new AbortController();
  const { streamArn } = options;
  const relay =
    streamArn === undefined
      ? pollingRelay(options, controller.signal)
      : streamsRelay({ ...options, streamArn }, controller.signal);
  await relay.start();
  const running = relay.run(options.intervalMs ?? 200);
  return {
    mode: streamArn === undefined ? 'polling' : 'streams',
    stop: async () => {
      controller.abort();
      await running;
    },
  };
};
