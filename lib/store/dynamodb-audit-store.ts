import type { AuditDraft, AuditEvent, ChainPosition } from '../domain/audit/event.ts';
import { badRequest } from '../domain/core/errors.ts';
import { writeWithChainEvent } from './chain-writer.ts';
import { expr, type Expression } from './expressions.ts';
import { auditEventFromItem, positionOf, str } from './items.ts';
import { itemTypes, keys } from './keys.ts';
import type { AuditPage, AuditQuery, AuditStore } from './ports.ts';
import type { Item, TableClient } from './table-client.ts';

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

  async listEvents(query: AuditQuery): Promise<AuditEvent[]> {
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
    const events = items.map(auditEventFromItem);
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
