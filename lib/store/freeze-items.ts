import type { AuditDraft } from '#domain/audit/event.ts';
import { contentHash, type JsonObject } from '#domain/core/json.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import type { Override } from '#domain/overrides/override.ts';
import { placeholders, type Expression } from './expressions.ts';
import { num, optStr, str } from './items.ts';
import { itemTypes, keys } from './keys.ts';
import type { Actor, StoredOverride } from './ports.ts';
import type { TransactItem } from './table-client.ts';
import type { Item, Key, TableClient } from './table-client.ts';

/** Item <-> domain codecs of freeze windows and overrides (guards: freeze-guards.ts). */

/** A plain JSON copy (no undefined members), so audit details hash the same before and after storage. */
export const jsonOf = (value: object): JsonObject => JSON.parse(JSON.stringify(value)) as JsonObject;

export const windowHash = (window: FreezeWindow): string => contentHash(jsonOf(window));

/** The window document is stored as its JSON text: it round-trips exactly. */
export const windowItem = (window: FreezeWindow, actor: Actor): Item => ({
  ...keys.freezeWindow(window.id),
  type: itemTypes.freezeWindow,
  id: window.id,
  hash: windowHash(window),
  window: JSON.stringify(window),
  updatedAt: actor.at,
  updatedBy: actor.principal,
});

export const windowFromItem = (item: Item): FreezeWindow => JSON.parse(str(item, 'window')) as FreezeWindow;

/** A raw transactional Update: `update` is the whole UpdateExpression, `condition` optional. */
export const rawUpdate = (
  table: TableClient,
  key: Key,
  update: Expression,
  condition?: Expression,
): TransactItem => ({
  Update: {
    TableName: table.tableName,
    Key: key,
    UpdateExpression: update.expression,
    ...(condition === undefined ? {} : { ConditionExpression: condition.expression }),
    ...placeholders(update, condition),
    ...(condition === undefined ? {} : { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const }),
  },
});

// ---- overrides ------------------------------------------------------------------------------------------

/**
 * The Override is stored as a map attribute (`override`) so a use can append to its `uses` in place;
 * `status`, `environment`, `validUntil` (its expiresAt) and `reusable` are top-level for conditions and
 * filters. `validUntil` is an ISO string, deliberately not the table's numeric TTL attribute `expiresAt`.
 */
export const overrideItem = (override: Override, revision: number): Item => ({
  ...keys.override(override.id),
  ...keys.overrideIndex(override.requestedAt, override.id),
  type: itemTypes.override,
  id: override.id,
  status: override.status,
  environment: override.environment,
  reusable: override.reusable,
  revision,
  ...(override.expiresAt === undefined ? {} : { validUntil: override.expiresAt }),
  override: jsonOf(override),
});

export const overrideFromItem = (item: Item): StoredOverride => {
  const taskToken = optStr(item, 'taskToken');
  return {
    override: item.override as Override,
    revision: num(item, 'revision'),
    ...(taskToken === undefined ? {} : { taskToken }),
  };
};

/** The audit draft of an override event on the `_freeze` chain. */
export const overrideDraft = (
  type: string,
  override: Override,
  actor: Actor,
  detail: JsonObject = {},
): AuditDraft => ({
  type,
  at: actor.at,
  actor: actor.principal,
  subject: override.id,
  detail: {
    overrideId: override.id,
    status: override.status,
    environment: override.environment,
    ...(override.bundle === undefined ? {} : { bundle: override.bundle }),
    ...(override.changeKinds === undefined ? {} : { changeKinds: override.changeKinds }),
    ...detail,
  },
});
