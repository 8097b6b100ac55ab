import type { AuditEvent } from '../../lib/domain/audit/event.ts';
import { isJsonObject, type JsonValue } from '../../lib/domain/core/json.ts';
import { changeKindSchema } from '../../lib/domain/freeze/change-kind.ts';
import type {
  ComplianceChange,
  ComplianceInput,
  ComplianceRejection,
} from '../../lib/domain/freeze/compliance.ts';
import type { FreezeWindow } from '../../lib/domain/freeze/freeze-window.ts';
import { FREEZE_CHAIN } from '../../lib/store/keys.ts';
import type { StoredOverride } from '../../lib/store/ports.ts';
import type { Deps } from './deps.ts';

const text = (value: JsonValue | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;
const texts = (value: JsonValue | undefined): string[] | undefined =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;

const KINDS: Record<string, ComplianceChange['kind']> = {
  BundleDeployed: 'deploy',
  EnvironmentRolledBack: 'rollback',
};

/** An environment change as its audit event recorded it (the commit writes the freeze facts into it). */
const changeOf = (event: AuditEvent): ComplianceChange[] => {
  const kind = KINDS[event.type];
  if (kind === undefined || event.chain.startsWith('_')) return [];
  const d = event.detail;
  const optional = {
    deploymentId: text(d.deploymentId),
    bundle: text(d.bundle),
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

/**
 * The calendar as it stood at the end of the period, folded from the `_freeze` chain (every window
 * added, replaced and removed is there), plus the windows removed during the period: a change made
 * while such a window applied still has to be explained.
 */
const windowsOf = (events: readonly AuditEvent[], from: string): FreezeWindow[] => {
  const current = new Map<string, FreezeWindow>();
  const removed = new Map<string, FreezeWindow>();
  for (const event of events) {
    const window = event.detail.window;
    if (!isJsonObject(window) || typeof window.id !== 'string') continue;
    if (event.type === 'FreezeWindowAdded') current.set(window.id, window as unknown as FreezeWindow);
    if (event.type === 'FreezeWindowRemoved') {
      current.delete(window.id);
      if (Date.parse(event.at) >= Date.parse(from)) removed.set(window.id, window as unknown as FreezeWindow);
    }
  }
  for (const [id, window] of removed) if (!current.has(id)) current.set(id, window);
  return [...current.values()];
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
    windows: windowsOf(freezeEvents, from),
  };
};
