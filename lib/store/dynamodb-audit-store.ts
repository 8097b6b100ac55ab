import type { AuditDraft, AuditEvent, ChainPosition } from '#domain/audit/event.ts';
import { randomUUID as randomToken } from 'node:crypto';
import type { StoredChain } from '#domain/audit/trail.ts';
import { badRequest, ConvoyError } from '#domain/core/errors.ts';
import { registryItems, writeWithChainEvent } from './chain-writer.ts';
import { expr, type Expression } from './expressions.ts';
import { auditEventFromItem, positionOf, str } from './items.ts';
import { itemTypes, keys } from './keys.ts';
import type { Actor, AuditPage, AuditQuery, AuditStore, ListedAuditEvent } from './ports.ts';
import { listedWithCounts } from './rejection-repeats.ts';
import { backoff, type Item, type TableClient } from './table-client.ts';

/** Registry events per transaction (each one Put, plus the registry head). */
const REGISTER_PER_TRANSACTION = 90;
const REGISTER_ATTEMPTS = 8;

interface Cursor {
  chain: string;
  seq: number;
  at: string;
}

const encodeCursor = (event: AuditEvent): string =>
  Buffer.from(JSON.stringify({ chain: event.chain, seq: event.seq, at: event.at })).toString('base64url');

const decodeCursor = (text: string): Cursor => {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof value.chain === 'string' && Number.isSafeInteger(value.seq) && typeof value.at === 'string') {
      return value as Cursor;
    }
  } catch {
    // fall through
  }
  throw badRequest('The audit page cursor is not valid; start again without it.');
};

/** Normalise an instant so it compares with stored ISO strings (`2026-01-01T00:00:00.000Z`). */
const instant = (text: string | undefined, field: string): string | undefined => {
  if (text === undefined) return undefined;
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw badRequest(`${field} must be an ISO 8601 instant.`);
  return new Date(time).toISOString();
};

/** Audit events: per chain in sequence order (pk AUDIT#chain), across chains by time (gsi1 `AUDIT`). */
export class DynamoDbAuditStore implements AuditStore {
  readonly table: TableClient;

  constructor(table: TableClient) {
    this.table = table;
  }

  async listEvents(query: AuditQuery): Promise<ListedAuditEvent[]> {
    return (await this.pageEvents(query)).events;
  }

  async pageEvents(query: AuditQuery): Promise<AuditPage> {
    const from = instant(query.from, 'from');
    const to = instant(query.to, 'to');
    if (from !== undefined && to !== undefined && from > to) return { events: [] };
    const after = query.after === undefined ? undefined : decodeCursor(query.after);
    const { chain } = query;
    let request: { keyCondition: Expression; filter?: Expression; index?: string };
    let start: Item | undefined;
    if (chain !== undefined) {
      if (after && after.chain !== chain) throw badRequest('The audit page cursor belongs to another query.');
      const filter =
        from !== undefined && to !== undefined
          ? expr('#at BETWEEN :from AND :to', { from, to })
          : from !== undefined
            ? expr('#at >= :from', { from })
            : to !== undefined
              ? expr('#at <= :to', { to })
              : undefined;
      request = {
        keyCondition: expr('#pk = :pk AND begins_with(#sk, :prefix)', {
          pk: keys.auditPartition(chain),
          prefix: keys.auditPrefix,
        }),
        ...(filter ? { filter } : {}),
      };
      start = after && keys.auditEvent(after.chain, after.seq);
    } else {
      // gsi1sk is `${at}#${chain}#${seq}`: `${to}$` sorts after every key of an event at `to`.
      const pk = keys.auditByTimePartition;
      request = {
        index: 'gsi1',
        keyCondition:
          from !== undefined && to !== undefined
            ? expr('#gsi1pk = :pk AND #gsi1sk BETWEEN :from AND :to', { pk, from, to: `${to}$` })
            : from !== undefined
              ? expr('#gsi1pk = :pk AND #gsi1sk >= :from', { pk, from })
              : to !== undefined
                ? expr('#gsi1pk = :pk AND #gsi1sk <= :to', { pk, to: `${to}$` })
                : expr('#gsi1pk = :pk', { pk }),
      };
      start = after && {
        ...keys.auditEvent(after.chain, after.seq),
        ...keys.auditByTime(after.at, after.chain, after.seq),
      };
    }
    const { items, more } = await this.table.query(request, query.limit, start);
    const events = await listedWithCounts(this.table, items.map(auditEventFromItem));
    const last = events.at(-1);
    return more && last ? { events, next: encodeCursor(last) } : { events };
  }

  /** Environment chains (their HEADs) and the other chains (their chain heads), from gsi1 `HEADS`. */
  async listChains(): Promise<{ chain: string; head: ChainPosition }[]> {
    const { items } = await this.table.query({
      index: 'gsi1',
      keyCondition: expr('#gsi1pk = :pk', { pk: keys.headIndexPartition }),
    });
    return items.map((item) => ({
      chain: item.type === itemTypes.envHead ? str(item, 'environment') : str(item, 'chain'),
      head: positionOf(item),
    }));
  }

  /**
   * Every chain as the table holds it, found by a Scan of the key space (never through an index, whose
   * attributes a tamperer could remove): events grouped by their partition key, heads read as items.
   */
  async readTrail(): Promise<StoredChain[]> {
    const items = await this.table.scan(
      expr(
        'begins_with(#pk, :audit) OR begins_with(#pk, :chain) OR (begins_with(#pk, :env) AND #sk = :head)',
        {
          audit: keys.auditPartition(''),
          chain: keys.chainHead('').pk,
          env: keys.envPartition(''),
          head: keys.envHead('').sk,
        },
      ),
    );
    const chains = new Map<string, { head?: ChainPosition; events: AuditEvent[] }>();
    const entry = (chain: string) => {
      let found = chains.get(chain);
      if (found === undefined) {
        found = { events: [] };
        chains.set(chain, found);
      }
      return found;
    };
    for (const item of items) {
      const pk = str(item, 'pk');
      if (pk.startsWith(keys.auditPartition(''))) {
        entry(pk.slice(keys.auditPartition('').length)).events.push(auditEventFromItem(item));
      } else if (pk.startsWith(keys.chainHead('').pk)) {
        entry(pk.slice(keys.chainHead('').pk.length)).head = positionOf(item);
      } else {
        entry(pk.slice(keys.envPartition('').length)).head = positionOf(item);
      }
    }
    return [...chains.entries()].map(([chain, found]) => ({
      chain,
      ...(found.head === undefined ? {} : { head: found.head }),
      events: found.events.sort((a, b) => a.seq - b.seq),
    }));
  }

  async registerChains(chains: readonly string[], actor: Actor): Promise<void> {
    for (let start = 0; start < chains.length; start += REGISTER_PER_TRANSACTION) {
      const chunk = chains.slice(start, start + REGISTER_PER_TRANSACTION);
      for (let attempt = 1; ; attempt += 1) {
        const items = await registryItems(this.table, chunk, { at: actor.at, actor: actor.principal });
        const outcome = await this.table.transact(items, randomToken());
        if (outcome.status === 'committed') break;
        if (attempt >= REGISTER_ATTEMPTS) {
          throw new ConvoyError('conflict', 'The chain registry kept moving; retry the checkpoint.');
        }
        await backoff(attempt);
      }
    }
  }

  async append(chain: string, draft: AuditDraft): Promise<AuditEvent> {
    if (!/^_[a-z0-9-]{1,62}$/.test(chain)) {
      throw new TypeError(`append() is for non-environment chains named like _global, not ${chain}`);
    }
    const result = await writeWithChainEvent(this.table, chain, draft, []);
    if (result.status !== 'committed') {
      throw new TypeError('unreachable: no items of our own can be rejected');
    }
    return result.event;
  }
}
