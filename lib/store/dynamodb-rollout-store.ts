import type { AuditDraft } from '#domain/audit/event.ts';
import { ConvoyError, badRequest, conflict, notFound } from '#domain/core/errors.ts';
import { canonicalJson, contentHash } from '#domain/core/json.ts';
import { rolloutEventSchema, type EventOf, type RolloutEvent } from '#domain/rollout/events.ts';
import { requestToken, writeWithChainEvent } from './chain-writer.ts';
import { conditions, expr } from './expressions.ts';
import { num, str } from './items.ts';
import { ROLLOUT_CHAIN, itemTypes, keys } from './keys.ts';
import type { RolloutStore, RolloutSummary } from './ports.ts';
import { internal, unavailable } from './sdk-errors.ts';
import type { TransactItem } from './table-client.ts';
import type { Item, TableClient, TransactOutcome } from './table-client.ts';

/** DynamoDB allows 100 items per transaction; one is the head. */
export const MAX_APPEND = 99;
/** An audited append also moves the `_rollout` chain (head and event, and its registration once). */
export const MAX_AUDITED_APPEND = MAX_APPEND - 4;

const parseEvent = (raw: unknown): RolloutEvent => {
  const parsed = rolloutEventSchema.safeParse(raw);
  if (!parsed.success) throw internal(parsed.error);
  return parsed.data;
};

const summaryFromItem = (item: Item): RolloutSummary => ({
  rolloutId: str(item, 'rolloutId'),
  bundle: item.bundle as RolloutSummary['bundle'],
  strategy: str(item, 'strategy'),
  startedAt: str(item, 'startedAt'),
  startedBy: str(item, 'startedBy'),
  lastSeq: num(item, 'lastSeq'),
  ...(typeof item.taskToken === 'string' ? { taskToken: item.taskToken } : {}),
});

const eventItem = (rolloutId: string, event: RolloutEvent): Item => ({
  ...keys.rolloutEvent(rolloutId, event.seq),
  type: itemTypes.rolloutEvent,
  rolloutId,
  seq: event.seq,
  event,
});

const sameContent = (a: RolloutEvent, b: RolloutEvent): boolean => canonicalJson(a) === canonicalJson(b);

/**
 * Rollouts, event-sourced: `ROLLOUT#<id>` holds a HEAD (the last seq and a summary, listed by start time
 * on gsi1 under `ROLLOUTS`) and one `EVENT#<seq>` item per event. Every append moves the HEAD's last seq
 * in the same transaction as the event Puts, conditional on the seq it extends; an audited change puts
 * its event on `_rollout` in that same transaction, so neither is ever written without the other.
 */
export class DynamoDbRolloutStore implements RolloutStore {
  readonly table: TableClient;

  constructor(table: TableClient) {
    this.table = table;
  }

  async create(started: EventOf<'RolloutStarted'>, audit: AuditDraft): Promise<RolloutSummary> {
    const event = parseEvent(started) as EventOf<'RolloutStarted'>;
    if (event.seq !== 0) throw badRequest(`A rollout's first event has seq 0, not ${event.seq}.`);
    const id = event.rolloutId;
    const summary: RolloutSummary = {
      rolloutId: id,
      bundle: event.bundle,
      strategy: event.strategy.name,
      startedAt: event.at,
      startedBy: event.by,
      lastSeq: 0,
    };
    const head = {
      ...keys.rolloutHead(id),
      ...keys.rolloutIndex(event.at, id),
      type: itemTypes.rolloutHead,
      ...summary,
    };
    const outcome = await this.write(
      [this.table.putOp(head, conditions.absent), this.table.putOp(eventItem(id, event), conditions.absent)],
      audit,
    );
    if (outcome.status === 'committed') return summary;
    const stored = await this.storedEvent(id, 0);
    if (stored && sameContent(stored, event)) {
      const current = await this.get(id);
      if (current) return current;
    }
    if (outcome.status === 'in-progress') throw unavailable(new Error('rollout create still in progress'));
    throw conflict(`Rollout ${id} already exists.`, { rolloutId: id });
  }

  async append(
    rolloutId: string,
    input: readonly RolloutEvent[],
    audit?: AuditDraft,
  ): Promise<{ lastSeq: number }> {
    const events = input.map(parseEvent);
    const first = events[0];
    const last = events.at(-1);
    if (first === undefined || last === undefined) throw badRequest('Nothing to append.');
    const limit = audit === undefined ? MAX_APPEND : MAX_AUDITED_APPEND;
    if (events.length > limit) throw badRequest(`At most ${limit} events per append.`);
    const gap = events.findIndex((e, i) => e.seq !== first.seq + i);
    if (gap >= 0 || first.seq < 1)
      throw badRequest('Appended events need consecutive seqs after the first event.', []);
    if (events.some((e) => e.type === 'RolloutStarted'))
      throw badRequest('RolloutStarted is written by create, not append.');
    const extends_ = first.seq - 1;
    const headUpdate = this.table.updateOp(
      keys.rolloutHead(rolloutId),
      { lastSeq: last.seq },
      expr('#lastSeq = :extends', { extends: extends_ }),
    );
    const items = [
      headUpdate,
      ...events.map((e) => this.table.putOp(eventItem(rolloutId, e), conditions.absent)),
    ];
    const outcome =
      audit === undefined
        ? await this.table.transact(
            items,
            requestToken(this.table, `rollout-append:${rolloutId}:${first.seq}:${contentHash(events)}`),
          )
        : await this.write(items, audit);
    if (outcome.status === 'committed') return { lastSeq: last.seq };
    return this.alreadyAppended(rolloutId, events, outcome);
  }

  /**
   * `items` with `audit` on `_rollout`, in one transaction. A refusal of `items` (the rollout exists, or
   * moved on) reads as a cancelled transaction, for the caller to tell a retry from a lost race.
   */
  private async write(items: TransactItem[], audit: AuditDraft): Promise<TransactOutcome> {
    const written = await writeWithChainEvent(this.table, ROLLOUT_CHAIN, audit, items);
    return written.status === 'committed' ? written : { status: 'cancelled', reasons: written.reasons };
  }

  /** After a refused append: a retry of what is stored is a no-op, anything else a conflict. */
  private async alreadyAppended(
    rolloutId: string,
    events: RolloutEvent[],
    outcome: TransactOutcome,
  ): Promise<{ lastSeq: number }> {
    const head = await this.get(rolloutId);
    if (!head) throw notFound(`Rollout ${rolloutId} does not exist.`, { rolloutId });
    const stored = await Promise.all(events.map((e) => this.storedEvent(rolloutId, e.seq)));
    if (stored.every((s, i) => s !== undefined && sameContent(s, events[i] as RolloutEvent)))
      return { lastSeq: head.lastSeq };
    if (outcome.status === 'in-progress') throw unavailable(new Error('rollout append still in progress'));
    throw new ConvoyError(
      'conflict',
      `Rollout ${rolloutId} moved on: its last event is seq ${head.lastSeq}; re-read and retry.`,
      { context: { rolloutId, lastSeq: head.lastSeq } },
    );
  }

  private async storedEvent(rolloutId: string, seq: number): Promise<RolloutEvent | undefined> {
    const item = await this.table.get(keys.rolloutEvent(rolloutId, seq));
    return item && parseEvent(item.event);
  }

  async events(rolloutId: string): Promise<RolloutEvent[]> {
    const { items } = await this.table.query({
      keyCondition: expr('#pk = :pk AND begins_with(#sk, :prefix)', {
        pk: keys.rolloutPartition(rolloutId),
        prefix: keys.rolloutEventPrefix,
      }),
    });
    if (items.length === 0) throw notFound(`Rollout ${rolloutId} does not exist.`, { rolloutId });
    return items.map((item) => parseEvent(item.event));
  }

  async get(rolloutId: string): Promise<RolloutSummary | undefined> {
    const item = await this.table.get(keys.rolloutHead(rolloutId));
    return item && summaryFromItem(item);
  }

  async setTaskToken(rolloutId: string, token: string): Promise<void> {
    const set = await this.table.transact(
      [this.table.updateOp(keys.rolloutHead(rolloutId), { taskToken: token }, expr('attribute_exists(#pk)'))],
      requestToken(this.table, `rollout-task-token:${rolloutId}:${token}`),
    );
    if (set.status !== 'committed') throw notFound(`Rollout ${rolloutId} does not exist.`, { rolloutId });
  }

  async list(limit?: number): Promise<RolloutSummary[]> {
    const { items } = await this.table.query(
      {
        index: 'gsi1',
        keyCondition: expr('#gsi1pk = :pk', { pk: keys.rolloutIndexPartition }),
        newestFirst: true,
      },
      limit,
    );
    return items.map(summaryFromItem);
  }
}
