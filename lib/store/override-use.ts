import type { Override } from '#domain/overrides/override.ts';
import { auditEventPut, chainEvents, chainHeadUpdate, readChainPosition } from './chain-writer.ts';
import { expr } from './expressions.ts';
import { overrideDraft, rawUpdate } from './freeze-items.ts';
import { FREEZE_CHAIN, keys } from './keys.ts';
import type { OverrideUseRecord } from './ports.ts';
import type { TableClient, TransactItem } from './table-client.ts';

/**
 * The items that consume an override in a commit transaction: Update (condition status = approved,
 * not expired at `use.at`, and unused unless reusable; sets usedAt/usedBy/usedFor, status `used`
 * unless reusable) plus the `OverrideUsed` event on `_freeze` with its chain head.
 */
export const overrideUseItems = async (
  table: TableClient,
  override: Override,
  use: OverrideUseRecord,
): Promise<TransactItem[]> => {
  const next = override.reusable ? 'approved' : 'used';
  const entry = { at: use.at, deploymentId: use.deploymentId };
  const consume = rawUpdate(
    table,
    keys.override(override.id),
    expr(
      'SET #status = :next, #override.#status = :next, #override.#uses = list_append(#override.#uses, :use), ' +
        '#usedAt = :at, #usedBy = :by, #usedFor = :for, #revision = #revision + :one',
      { next, use: [entry], at: use.at, by: use.principal, for: use.deploymentId, one: 1 },
    ),
    expr(
      '#status = :approved AND #validUntil > :at AND (#reusable = :yes OR attribute_not_exists(#usedAt))',
      {
        approved: 'approved',
        at: use.at,
        yes: true,
      },
    ),
  );
  const previous = await readChainPosition(table, FREEZE_CHAIN);
  const [event] = chainEvents(FREEZE_CHAIN, previous, [
    overrideDraft(
      'OverrideUsed',
      { ...override, status: next },
      { principal: use.principal, at: use.at },
      {
        deploymentId: use.deploymentId,
        reusable: override.reusable,
      },
    ),
  ]);
  if (event === undefined) throw new TypeError('unreachable: one draft gives one event');
  return [consume, chainHeadUpdate(table, FREEZE_CHAIN, previous, event), auditEventPut(table, event)];
};
