import type { AuditDraft } from '#domain/audit/event.ts';
import { ConvoyError, notFound } from '#domain/core/errors.ts';
import type { FreezeLevel } from '#domain/freeze/change-kind.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import { writeWithChainEvent, writeWithChainEvents } from './chain-writer.ts';
import { conditions, expr, placeholders } from './expressions.ts';
import { activateGuard, guardBump, readGuard } from './freeze-guards.ts';
import { jsonOf, windowFromItem, windowHash, windowItem } from './freeze-items.ts';
import { recordRepeatedRejection } from './rejection-repeats.ts';
import { str } from './items.ts';
import { FREEZE_CHAIN, keys } from './keys.ts';
import type { Actor, ChangeRejection, FreezeActivation, FreezeGuard, FreezeStore } from './ports.ts';
import type { TableClient, TransactItem } from './table-client.ts';

const MAX_TRANSACTION_ITEMS = 100;
const WINDOWS_PER_TRANSACTION = 25;

const changedConcurrently = (ids: string[]): ConvoyError =>
  new ConvoyError('conflict', `Freeze window ${ids.join(', ')} changed concurrently; re-read and retry.`, {
    context: { windows: ids },
  });

/**
 * Freeze windows (one `FREEZE` partition), per-environment freeze guards (`ENV#<env>` / `FREEZE-GUARD`)
 * and the `_freeze` audit chain. Every calendar change bumps every environment's guard in the same
 * transaction, so a change validated against the old calendar cannot commit (its ConditionCheck fails).
 */
export class DynamoDbFreezeStore implements FreezeStore {
  readonly table: TableClient;

  constructor(table: TableClient) {
    this.table = table;
  }

  async listWindows(): Promise<FreezeWindow[]> {
    const { items } = await this.table.query({
      keyCondition: expr('#pk = :pk AND begins_with(#sk, :prefix)', {
        pk: keys.freezeWindowPartition,
        prefix: keys.freezeWindowPrefix,
      }),
    });
    return items.map(windowFromItem);
  }

  async getWindow(id: string): Promise<FreezeWindow | undefined> {
    const item = await this.table.get(keys.freezeWindow(id));
    return item && windowFromItem(item);
  }

  /** Environments with a HEAD (gsi1 `HEADS`): the guards a calendar change bumps. */
  private async environments(): Promise<string[]> {
    const { items } = await this.table.query({
      index: 'gsi1',
      keyCondition: expr('#gsi1pk = :pk AND begins_with(#gsi1sk, :prefix)', {
        pk: keys.headIndexPartition,
        prefix: keys.envHeadIndexPrefix,
      }),
    });
    return items.map((item) => str(item, 'environment'));
  }

  private async bumps(at: string): Promise<TransactItem[]> {
    return (await this.environments()).map((env) => guardBump(this.table, env, at));
  }

  async putWindows(
    windows: readonly FreezeWindow[],
    actor: Actor,
  ): Promise<{ id: string; created: boolean; changed: boolean }[]> {
    const existing = await Promise.all(windows.map((w) => this.table.get(keys.freezeWindow(w.id))));
    const results = windows.map((w, i) => {
      const old = existing[i];
      return { window: w, oldHash: old && str(old, 'hash'), changed: old?.hash !== windowHash(w) };
    });
    const pending = results.filter((r) => r.changed);
    const bumps = pending.length > 0 ? await this.bumps(actor.at) : [];
    // Each window costs its Put and its audit event; the chain head and the bumps are shared.
    const perTransaction = Math.min(
      WINDOWS_PER_TRANSACTION,
      Math.floor((MAX_TRANSACTION_ITEMS - 1 - bumps.length) / 2),
    );
    if (pending.length > 0 && perTransaction < 1) {
      throw new ConvoyError(
        'internal',
        `Too many environments (${bumps.length}) to bump in one transaction.`,
      );
    }
    for (let start = 0; start < pending.length; start += perTransaction) {
      const chunk = pending.slice(start, start + perTransaction);
      const puts = chunk.map(({ window, oldHash }) =>
        this.table.putOp(
          windowItem(window, actor),
          oldHash === undefined ? conditions.absent : expr('#hash = :old', { old: oldHash }),
        ),
      );
      const drafts: AuditDraft[] = chunk.map(({ window, oldHash }) => ({
        type: 'FreezeWindowAdded',
        at: actor.at,
        actor: actor.principal,
        subject: window.id,
        detail: {
          id: window.id,
          created: oldHash === undefined,
          hash: windowHash(window),
          window: jsonOf(window),
        },
      }));
      const result = await writeWithChainEvents(this.table, FREEZE_CHAIN, drafts, [...puts, ...bumps]);
      if (result.status === 'rejected') {
        throw changedConcurrently(
          chunk.filter((_, i) => result.reasons[i]?.code !== 'None').map((r) => r.window.id),
        );
      }
    }
    return results.map((r) => ({ id: r.window.id, created: r.oldHash === undefined, changed: r.changed }));
  }

  async removeWindow(id: string, actor: Actor): Promise<FreezeWindow> {
    const item = await this.table.get(keys.freezeWindow(id));
    if (!item) throw notFound(`Freeze window ${id} does not exist.`, { id });
    const window = windowFromItem(item);
    const condition = expr('#hash = :hash', { hash: str(item, 'hash') });
    const remove: TransactItem = {
      Delete: {
        TableName: this.table.tableName,
        Key: keys.freezeWindow(id),
        ConditionExpression: condition.expression,
        ...placeholders(condition),
      },
    };
    const result = await writeWithChainEvent(
      this.table,
      FREEZE_CHAIN,
      {
        type: 'FreezeWindowRemoved',
        at: actor.at,
        actor: actor.principal,
        subject: id,
        detail: { id, hash: str(item, 'hash'), window: jsonOf(window) },
      },
      [remove, ...(await this.bumps(actor.at))],
    );
    if (result.status === 'rejected') throw changedConcurrently([id]);
    return window;
  }

  getGuard(environment: string): Promise<FreezeGuard> {
    return readGuard(this.table, environment);
  }

  activate(
    environment: string,
    next: { active: readonly string[]; level: FreezeLevel | null },
    actor: Actor,
  ): Promise<FreezeActivation> {
    return activateGuard(this.table, environment, next, actor);
  }

  recordRejection(rejection: ChangeRejection): Promise<void> {
    return recordRepeatedRejection(this.table, rejection);
  }
}
