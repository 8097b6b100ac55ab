import type { AuditDraft } from '#domain/audit/event.ts';
import { ConvoyError, notFound } from '#domain/core/errors.ts';
import type { Override, OverrideStatus } from '#domain/overrides/override.ts';
import { requestToken, writeWithChainEvent } from './chain-writer.ts';
import { conditions, expr, type Expression } from './expressions.ts';
import { overrideDraft, overrideFromItem, overrideItem, rawUpdate } from './freeze-items.ts';
import { FREEZE_CHAIN, keys } from './keys.ts';
import type { Actor, OverrideStore, StoredOverride } from './ports.ts';
import type { TableClient } from './table-client.ts';

const and = (parts: Expression[]): Expression | undefined =>
  parts.length === 0
    ? undefined
    : {
        expression: parts.map((p) => p.expression).join(' AND '),
        names: Object.assign({}, ...parts.map((p) => p.names)) as Record<string, string>,
        values: Object.assign({}, ...parts.map((p) => p.values)) as Record<string, unknown>,
      };

/**
 * Emergency overrides: one item per override (`OVERRIDE#<id>`), listed by request time on gsi1
 * (`OVERRIDES`). Every write is conditional on the item's revision and carries its audit event on the
 * `_freeze` chain in the same transaction; a use is consumed inside the environment's commit.
 */
export class DynamoDbOverrideStore implements OverrideStore {
  readonly table: TableClient;

  constructor(table: TableClient) {
    this.table = table;
  }

  async create(override: Override, actor: Actor): Promise<StoredOverride> {
    const result = await writeWithChainEvent(
      this.table,
      FREEZE_CHAIN,
      overrideDraft('OverrideRequested', override, actor, {
        requester: override.requester,
        reason: override.reason,
        ticket: override.ticket,
        level: override.level,
        approvalsRequired: override.approvalsRequired,
        approverRoles: override.approverRoles,
        requestedDuration: override.requestedDuration,
        reusable: override.reusable,
      }),
      [this.table.putOp(overrideItem(override, 1), conditions.absent)],
    );
    if (result.status === 'rejected')
      throw new ConvoyError('conflict', `Override ${override.id} already exists.`);
    return { override, revision: 1 };
  }

  async get(id: string): Promise<StoredOverride | undefined> {
    const item = await this.table.get(keys.override(id));
    return item && overrideFromItem(item);
  }

  async list(filter: { status?: OverrideStatus; environment?: string } = {}): Promise<StoredOverride[]> {
    const where = and([
      ...(filter.status === undefined ? [] : [expr('#status = :status', { status: filter.status })]),
      ...(filter.environment === undefined ? [] : [expr('#environment = :env', { env: filter.environment })]),
    ]);
    const { items } = await this.table.query({
      index: 'gsi1',
      keyCondition: expr('#gsi1pk = :pk', { pk: keys.overrideIndexPartition }),
      newestFirst: true,
      ...(where === undefined ? {} : { filter: where }),
    });
    return items.map(overrideFromItem);
  }

  async update(next: Override, expectedRevision: number, audit: AuditDraft): Promise<StoredOverride> {
    const revision = expectedRevision + 1;
    const item = overrideItem(next, revision);
    const values = {
      status: item.status,
      override: item.override,
      revision,
      ...(next.expiresAt === undefined ? {} : { validUntil: next.expiresAt }),
    };
    const update = rawUpdate(
      this.table,
      keys.override(next.id),
      expr(
        `SET ${Object.keys(values)
          .map((k) => `#${k} = :${k}`)
          .join(', ')}`,
        values,
      ),
      expr('#revision = :expected', { expected: expectedRevision }),
    );
    const result = await writeWithChainEvent(this.table, FREEZE_CHAIN, audit, [update]);
    if (result.status === 'rejected') {
      throw new ConvoyError(
        'conflict',
        `Override ${next.id} changed concurrently (revision ${expectedRevision} is stale); re-read and retry.`,
        { context: { overrideId: next.id } },
      );
    }
    const current = await this.get(next.id);
    return {
      override: next,
      revision,
      ...(current?.taskToken === undefined ? {} : { taskToken: current.taskToken }),
    };
  }

  async setTaskToken(id: string, token: string): Promise<StoredOverride> {
    const set = expr('SET #taskToken = :token', { token });
    const ok = await this.table.transact(
      [rawUpdate(this.table, keys.override(id), set, expr('attribute_exists(#pk)'))],
      requestToken(this.table, `task-token:${id}:${token}`),
    );
    if (ok.status !== 'committed') throw notFound(`Override ${id} does not exist.`, { overrideId: id });
    const stored = await this.get(id);
    if (!stored) throw notFound(`Override ${id} does not exist.`, { overrideId: id });
    return stored;
  }
}
