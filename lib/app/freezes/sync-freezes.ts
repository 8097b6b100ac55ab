import { sha256 } from '#domain/core/json.ts';
import { compileWindows } from '#domain/freeze/freeze-status.ts';
import { nextEdge } from '#domain/freeze/window-edges.ts';
import type { ConvoyEvent } from '#integrations/ports.ts';
import type { Deps } from '../deps.ts';
import { logger } from '../logger.ts';

/** Why the freeze state is being synchronised (the payload of every activation schedule). */
export type SyncReason = 'window-start' | 'window-end' | 'rearm';

/** The principal activations are recorded under. */
export const FREEZE_ACTIVATION_PRINCIPAL = 'convoy:freeze-activation';

const SCHEDULE_PREFIX = 'convoy-freeze-';
const MAX_SCHEDULE_NAME = 64;

/** The activation schedule of a window; EventBridge Scheduler names have at most 64 characters. */
export const scheduleNameOf = (windowId: string): string => {
  const name = `${SCHEDULE_PREFIX}${windowId}`;
  if (name.length <= MAX_SCHEDULE_NAME) return name;
  return `${SCHEDULE_PREFIX}${windowId.slice(0, MAX_SCHEDULE_NAME - SCHEDULE_PREFIX.length - 17)}-${sha256(windowId).slice(0, 16)}`;
};

export interface SyncResult {
  at: string;
  activations: { environment: string; started: string[]; ended: string[] }[];
  armed: { windowId: string; at: string; reason: SyncReason }[];
  disarmed: string[];
  /** Edge-port calls (scheduler, event bus) that failed; the guards are up to date regardless. */
  failures: string[];
}

const attempt = async (failures: string[], what: string, call: () => Promise<void>): Promise<void> => {
  try {
    await call();
  } catch (error) {
    failures.push(`${what}: ${String(error)}`);
  }
};

/**
 * Bring every environment's freeze guard up to the windows in force now (FreezeStarted / FreezeEnded
 * on the guard's audit chain and on the Convoy bus), then arm each window's next edge and disarm the
 * schedules of `removed` windows. Enforcement never depends on this running on time: changes are
 * evaluated at commit; this keeps the guards, the notifications and the schedules current.
 */
export const syncFreezes = async (
  deps: Deps,
  options: { removed?: readonly string[] } = {},
): Promise<SyncResult> => {
  const at = deps.now().toISOString();
  const actor = { principal: FREEZE_ACTIVATION_PRINCIPAL, at };
  const [windows, heads] = await Promise.all([
    deps.store.freezes.listWindows(),
    deps.store.environments.listHeads(),
  ]);
  const compiled = compileWindows(windows);
  const result: SyncResult = { at, activations: [], armed: [], disarmed: [], failures: [] };
  const events: ConvoyEvent[] = [];
  for (const { environment } of heads) {
    const status = compiled.status({ environment }, at);
    const activation = await deps.store.freezes.activate(
      environment,
      { active: status.windows.map((w) => w.id), level: status.level },
      actor,
    );
    if (!activation.changed) continue;
    const { started, ended } = activation;
    result.activations.push({ environment, started, ended });
    const detail = { environment, at, level: status.level, active: activation.guard.active };
    if (started.length > 0) {
      const startedWindows = status.windows.filter((w) => started.includes(w.id));
      events.push({
        source: 'convoy.freeze',
        detailType: 'FreezeStarted',
        detail: { ...detail, windows: startedWindows },
      });
    }
    if (ended.length > 0)
      events.push({
        source: 'convoy.freeze',
        detailType: 'FreezeEnded',
        detail: { ...detail, windows: ended },
      });
  }
  for (const window of windows) {
    const name = scheduleNameOf(window.id);
    const edge = nextEdge(window, at);
    if (edge === null) {
      await attempt(result.failures, `disarm ${name}`, () => deps.schedules.disarm(name));
      result.disarmed.push(window.id);
      continue;
    }
    const reason: SyncReason = edge.edge === 'start' ? 'window-start' : 'window-end';
    await attempt(result.failures, `arm ${name}`, () =>
      deps.schedules.arm({ name, at: edge.at, payload: { reason, windowId: window.id } }),
    );
    result.armed.push({ windowId: window.id, at: edge.at, reason });
  }
  for (const id of options.removed ?? []) {
    await attempt(result.failures, `disarm ${scheduleNameOf(id)}`, () =>
      deps.schedules.disarm(scheduleNameOf(id)),
    );
    result.disarmed.push(id);
  }
  if (events.length > 0) await attempt(result.failures, 'publish', () => deps.events.publish(events));
  if (result.failures.length > 0)
    logger.warn('freeze sync: edge calls failed', { failures: result.failures });
  return result;
};
