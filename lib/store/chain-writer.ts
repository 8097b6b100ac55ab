import { CHAIN_OPENED, REGISTRY_CHAIN } from '#domain/audit/trail.ts';
import { chainEvent, type AuditDraft, type AuditEvent, type ChainPosition } from '#domain/audit/event.ts';
import { sha256 } from '#domain/core/json.ts';
import { conditions, expr } from './expressions.ts';
import { auditEventItem, positionOf } from './items.ts';
import { itemTypes, keys } from './keys.ts';
import type { TransactItem } from './table-client.ts';
import { unavailable } from './sdk-errors.ts';
import { backoff, CONDITION_FAILED, type CancellationReason, type TableClient } from './table-client.ts';

const CHAIN_ATTEMPTS = 8;

/**
 * A ClientRequestToken (at most 36 characters) derived from what makes a request unique. DynamoDB scopes
 * tokens to the account, not the table, so the table name is part of the seed.
 */
export const requestToken = (table: TableClient, seed: string): string =>
  sha256(`${table.tableName}:${seed}`).slice(0, 36);

/** Put of an audit event; it never overwrites (a sequence number is used once). */
export const auditEventPut = (table: TableClient, event: AuditEvent): TransactItem =>
  table.putOp(auditEventItem(event), conditions.absent);

export const readChainPosition = async (table: TableClient, chain: string): Promise<ChainPosition> =>
  positionOf(await table.get(keys.chainHead(chain)));

/** Move a (non-environment) chain head from `previous` to `event`, conditional on `previous`. */
export const chainHeadUpdate = (
  table: TableClient,
  chain: string,
  previous: ChainPosition,
  event: AuditEvent,
): TransactItem =>
  table.updateOp(
    keys.chainHead(chain),
    {
      type: itemTypes.chainHead,
      chain,
      auditSeq: event.seq,
      auditHash: event.hash,
      ...keys.chainHeadIndex(chain),
    },
    previous.seq === 0
      ? expr('attribute_not_exists(#auditSeq)')
      : expr('#auditSeq = :previous', { previous: previous.seq }),
  );

export type ChainWriteResult =
  | { status: 'committed'; event: AuditEvent }
  /** A condition of one of the caller's `items` failed; reasons are aligned with `items`. */
  | { status: 'rejected'; reasons: CancellationReason[] };

export type ChainWriteManyResult =
  { status: 'committed'; events: AuditEvent[] } | { status: 'rejected'; reasons: CancellationReason[] };

/** `drafts` placed one after another after `previous` on `chain`. */
export const chainEvents = (
  chain: string,
  previous: ChainPosition,
  drafts: readonly AuditDraft[],
): AuditEvent[] => {
  const events: AuditEvent[] = [];
  let position = previous;
  for (const draft of drafts) {
    const event = chainEvent(chain, position, draft);
    events.push(event);
    position = { seq: event.seq, hash: event.hash };
  }
  return events;
};

/**
 * The registry's part of a transaction that opens chains: a `ChainOpened` event per chain on
 * REGISTRY_CHAIN, with its head, so a chain can never exist without the registry knowing it.
 */
export const registryItems = async (
  table: TableClient,
  opened: readonly string[],
  by: { at: string; actor: string },
): Promise<TransactItem[]> => {
  if (opened.length === 0) return [];
  const previous = await readChainPosition(table, REGISTRY_CHAIN);
  const events = chainEvents(
    REGISTRY_CHAIN,
    previous,
    opened.map((chain) => ({
      type: CHAIN_OPENED,
      at: by.at,
      actor: by.actor,
      subject: chain,
      detail: { chain },
    })),
  );
  return [
    chainHeadUpdate(table, REGISTRY_CHAIN, previous, events.at(-1) as AuditEvent),
    ...events.map((e) => auditEventPut(table, e)),
  ];
};

/**
 * Write `items` and append `drafts` (one or more, in order) to a non-environment chain in ONE
 * transaction: `[...items, Update(chain head, condition seq = read), Put(event)..., registry...]`. The
 * chain's first event, and `opens` (environment chains whose HEADs `items` create), are registered in
 * the same transaction. A lost race on the chains alone (a concurrent append) is retried on the new
 * position; a failed condition of `items` is the caller's to interpret.
 */
export const writeWithChainEvents = async (
  table: TableClient,
  chain: string,
  drafts: readonly AuditDraft[],
  items: TransactItem[],
  opens: readonly string[] = [],
): Promise<ChainWriteManyResult> => {
  for (let attempt = 1; ; attempt += 1) {
    const previous = await readChainPosition(table, chain);
    const events = chainEvents(chain, previous, drafts);
    const last = events.at(-1);
    if (last === undefined) throw new TypeError('writeWithChainEvents needs at least one draft');
    const opened = [...(previous.seq === 0 && chain !== REGISTRY_CHAIN ? [chain] : []), ...opens];
    const outcome = await table.transact(
      [
        ...items,
        chainHeadUpdate(table, chain, previous, last),
        ...events.map((e) => auditEventPut(table, e)),
        ...(await registryItems(table, opened, last)),
      ],
      requestToken(table, `chain:${last.hash}:${attempt}`),
    );
    if (outcome.status === 'committed') return { status: 'committed', events };
    if (outcome.status === 'cancelled') {
      const own = outcome.reasons.slice(0, items.length);
      if (own.some((r) => r.code === CONDITION_FAILED)) return { status: 'rejected', reasons: own };
      const chainMoved = outcome.reasons.slice(items.length).some((r) => r.code === CONDITION_FAILED);
      if (chainMoved && attempt < CHAIN_ATTEMPTS) {
        await backoff(attempt);
        continue;
      }
    }
    throw unavailable(
      new Error(`append to audit chain ${chain}: ${outcome.status} after ${attempt} attempts`),
    );
  }
};

/** `writeWithChainEvents` with one draft. */
export const writeWithChainEvent = async (
  table: TableClient,
  chain: string,
  draft: AuditDraft,
  items: TransactItem[],
  opens: readonly string[] = [],
): Promise<ChainWriteResult> => {
  const result = await writeWithChainEvents(table, chain, [draft], items, opens);
  return result.status === 'committed'
    ? { status: 'committed', event: result.events[0] as AuditEvent }
    : result;
};
