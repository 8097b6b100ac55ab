import type { AuditDraft } from '#domain/audit/event.ts';
import type { FreezeLevel } from '#domain/freeze/change-kind.ts';
import { writeWithChainEvents } from './chain-writer.ts';
import { expr, placeholders, type Expression } from './expressions.ts';
import { rawUpdate } from './freeze-items.ts';
import { num, optStr } from './items.ts';
import { FREEZE_CHAIN, itemTypes, keys } from './keys.ts';
import type { Actor, FreezeActivation, FreezeGuard } from './ports.ts';
import type { TransactItem } from './table-client.ts';
import { unavailable } from './sdk-errors.ts';
import { backoff, type Item, type TableClient } from './table-client.ts';

/**
 * Per-environment freeze guards (`ENV#<env>` / `FREEZE-GUARD`): `version` (bumped by every calendar
 * change and every activation), the windows in force at the last activation and their level. Every
 * environment change ConditionChecks the version it read.
 */

const ACTIVATE_ATTEMPTS = 6;

export const guardFromItem = (environment: string, item: Item | undefined): FreezeGuard => {
  if (item === undefined) return { environment, version: 0, active: [], level: null };
  const active = Array.isArray(item.active) ? item.active.filter((id) => typeof id === 'string') : [];
  const level = item.level === 'hard' || item.level === 'soft' ? item.level : null;
  const updatedAt = optStr(item, 'updatedAt');
  return {
    environment,
    version: num(item, 'version'),
    active,
    level,
    ...(updatedAt === undefined ? {} : { updatedAt }),
  };
};

export const readGuard = async (table: TableClient, environment: string): Promise<FreezeGuard> =>
  guardFromItem(environment, await table.get(keys.freezeGuard(environment)));

/** Bump an environment's guard version (creating the guard at version 1). */
export const guardBump = (table: TableClient, environment: string, at: string): TransactItem =>
  rawUpdate(
    table,
    keys.freezeGuard(environment),
    expr(
      'SET #version = if_not_exists(#version, :zero) + :one, #type = :type, #environment = :environment, #updatedAt = :at',
      { zero: 0, one: 1, type: itemTypes.freezeGuard, environment, at },
    ),
  );

/** The guard's version condition: as read (absent when the guard was never bumped). */
export const guardCondition = (seenVersion: number): Expression =>
  seenVersion === 0
    ? expr('attribute_not_exists(#version)')
    : expr('#version = :seen', { seen: seenVersion });

export const guardUpdate = (
  table: TableClient,
  guard: FreezeGuard,
  next: { active: string[]; level: FreezeLevel | null },
  at: string,
): TransactItem =>
  rawUpdate(
    table,
    keys.freezeGuard(guard.environment),
    expr(
      'SET #version = :version, #active = :active, #level = :level, #type = :type, #environment = :environment, #updatedAt = :at',
      {
        version: guard.version + 1,
        active: next.active,
        level: next.level,
        type: itemTypes.freezeGuard,
        environment: guard.environment,
        at,
      },
    ),
    guardCondition(guard.version),
  );

/** The commit's ConditionCheck: the guard is still at `seenVersion`. */
export const guardCheckItem = (
  table: TableClient,
  environment: string,
  seenVersion: number,
): TransactItem => {
  const condition = guardCondition(seenVersion);
  return {
    ConditionCheck: {
      TableName: table.tableName,
      Key: keys.freezeGuard(environment),
      ConditionExpression: condition.expression,
      ...placeholders(condition),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
};

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((id, i) => id === b[i]);

/** FreezeStore.activate: see ports.ts. */
export const activateGuard = async (
  table: TableClient,
  environment: string,
  next: { active: readonly string[]; level: FreezeLevel | null },
  actor: Actor,
): Promise<FreezeActivation> => {
  const active = [...new Set(next.active)].sort();
  for (let attempt = 1; attempt <= ACTIVATE_ATTEMPTS; attempt += 1) {
    const guard = await readGuard(table, environment);
    if (sameSet(guard.active, active) && guard.level === next.level) {
      return { changed: false, started: [], ended: [], guard };
    }
    const started = active.filter((id) => !guard.active.includes(id));
    const ended = guard.active.filter((id) => !active.includes(id));
    const draft = (type: string, windows: string[]): AuditDraft => ({
      type,
      at: actor.at,
      actor: actor.principal,
      subject: environment,
      detail: { environment, windows, active, level: next.level, guardVersion: guard.version + 1 },
    });
    const drafts = [
      ...(started.length > 0 ? [draft('FreezeStarted', started)] : []),
      ...(ended.length > 0 ? [draft('FreezeEnded', ended)] : []),
    ];
    const result = await writeWithChainEvents(
      table,
      FREEZE_CHAIN,
      drafts.length > 0 ? drafts : [draft('FreezeLevelChanged', active)],
      [guardUpdate(table, guard, { active, level: next.level }, actor.at)],
    );
    if (result.status === 'committed') {
      const updated = {
        environment,
        version: guard.version + 1,
        active,
        level: next.level,
        updatedAt: actor.at,
      };
      return { changed: true, started, ended, guard: updated };
    }
    await backoff(attempt);
  }
  throw unavailable(new Error(`activate ${environment}: the guard kept moving`));
};
