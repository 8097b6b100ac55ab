import type { AuditEvent } from '#domain/audit/event.ts';
import { isJsonObject, type JsonValue } from '#domain/core/json.ts';
import { calendarHistory, type CalendarChange } from '#domain/compliance/calendar-history.ts';
import { changeKindSchema } from '#domain/freeze/change-kind.ts';
import type {
  ComplianceChange,
  ComplianceInput,
  ComplianceRejection,
} from '#domain/compliance/compliance.ts';
import { signoffOverrideOf } from '#domain/compliance/signoff-overrides.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import { FREEZE_CHAIN } from '#store/keys.ts';
import type { StoredOverride } from '#store/ports.ts';
import type { Deps } from '../deps.ts';

const text = (value: JsonValue | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;
const texts = (value: JsonValue | undefined): string[] | undefined =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;

const KINDS: Record<string, ComplianceChange['kind']> = {
  BundleDeployed: 'deploy',
  EnvironmentRolledBack: 'rollback',
  FlagKillSwitched: 'flag-kill-switch',
  ReleaseDeployed: 'deploy',
  ReleaseRolledBack: 'rollback',
};

/** An environment change as its audit event recorded it (the commit writes the freeze facts into it). */
const changeOf = (event: AuditEvent): ComplianceChange[] => {
  const kind = KINDS[event.type];
  if (kind === undefined || event.chain.startsWith('_')) return [];
  const d = event.detail;
  const optional = {
    deploymentId: text(d.deploymentId),
    // A release's deploy and rollback pass the freeze gate (and an override's scope) as the release.
    bundle: text(d.bundle) ?? text(d.release),
    overrideId: text(d.overrideId),
    namespaces: texts(d.namespaces),
    teams: texts(d.teams),
  };
  const defined = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
  return [{ at: event.at, environment: event.chain, kind, principal: event.actor, ...defined }];
};

const rejectionOf = (event: AuditEvent): ComplianceRejection[] => {
  const kind = changeKindSchema.safeParse(event.detail.kind);
  if (event.type !== 'ChangeRejected' || !kind.success) return [];
  const d = event.detail;
  return [
    {
      at: event.at,
      environment: event.subject,
      kind: kind.data,
      principal: event.actor,
      windows: texts(d.windows) ?? [],
      reason: text(d.reason) ?? '',
    },
  ];
};

const CALENDAR_CHANGES: Record<string, CalendarChange['type']> = {
  FreezeWindowAdded: 'added',
  FreezeWindowRemoved: 'removed',
};

/** A calendar change as the `_freeze` chain recorded it (the window's whole definition is in it). */
const calendarChangeOf = (event: AuditEvent): CalendarChange[] => {
  const type = CALENDAR_CHANGES[event.type];
  const window = event.detail.window;
  if (type === undefined || !isJsonObject(window) || typeof window.id !== 'string') return [];
  return [{ type, at: event.at, window: window as unknown as FreezeWindow }];
};

/** Everything the compliance report of [from, to) needs, read from the audit chains and the overrides. */
export const complianceInput = async (deps: Deps, from: string, to: string): Promise<ComplianceInput> => {
  const [changeEvents, freezeEvents] = await Promise.all([
    deps.store.audit.listEvents({ from, to }),
    deps.store.audit.listEvents({ chain: FREEZE_CHAIN, to }),
  ]);
  const changes = changeEvents.flatMap(changeOf);
  const ids = [...new Set(changes.flatMap((c) => (c.overrideId === undefined ? [] : [c.overrideId])))];
  const overrides = (await Promise.all(ids.map((id) => deps.store.overrides.get(id))))
    .filter((stored): stored is StoredOverride => stored !== undefined)
    .map((stored) => stored.override);
  return {
    from,
    to,
    changes,
    rejections: freezeEvents.flatMap(rejectionOf),
    overrides,
    calendar: calendarHistory(freezeEvents.flatMap(calendarChangeOf)),
    signoffOverrides: changeEvents.flatMap(signoffOverrideOf),
  };
};
