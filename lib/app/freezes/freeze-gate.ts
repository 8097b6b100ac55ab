import { ConvoyError, forbidden, notFound } from '#domain/core/errors.ts';
import type { JsonObject } from '#domain/core/json.ts';
import { gateChange, type GatedChange } from '#domain/overrides/change-gate.ts';
import type { ChangeScope } from '#domain/freeze/change-scope.ts';
import { compileWindows, type FreezeStatus } from '#domain/freeze/freeze-status.ts';
import type { CommitGuard } from '#store/ports.ts';
import type { Deps } from '../deps.ts';

/** The guard as read, then the commit's time: a window that starts after the read is caught at `at`. */
export interface OpenGate {
  at: string;
  guardVersion: number;
}

/** Read the environment's freeze guard, then take the commit's time (the one time the change records). */
export const openGate = async (deps: Deps, environment: string): Promise<OpenGate> => {
  const guard = await deps.store.freezes.getGuard(environment);
  return { at: deps.now().toISOString(), guardVersion: guard.version };
};

export interface GateRequest extends GatedChange, OpenGate {
  principal: string;
  /** The override the caller names (request field `override`). */
  overrideId?: string;
  /** The record the commit will write (the override's use points at it). */
  deploymentId: string;
  /** What the change touches; resolved only when some window is in force for the environment. */
  scope: () => Promise<ChangeScope> | ChangeScope;
}

export interface GatePass {
  guards: CommitGuard[];
  overrideId?: string;
  /** Facts for the change's audit event (what the compliance report reads). */
  detail: JsonObject;
}

/**
 * The freeze check of an environment change, evaluated at commit time: the guard read by openGate,
 * then the windows, evaluated at the commit's `at`. Returns the guards that make the commit conditional
 * on both (the freeze guard unmoved; the override consumed, with its audit event). A frozen change is
 * recorded as rejected and refused with 423 (no override) or 403 (an override that cannot be used).
 */
export const passFreezeGate = async (deps: Deps, request: GateRequest): Promise<GatePass> => {
  const { environment, kind, at } = request;
  const guards: CommitGuard[] = [{ kind: 'freeze-guard', environment, seenVersion: request.guardVersion }];
  const evaluated = await freezeStatusOf(deps, request, at);
  if (!evaluated) return { guards, detail: {} };
  const { status, scope } = evaluated;
  const detail: JsonObject = { namespaces: scope.namespaces, teams: scope.teams };
  const stored =
    status.frozen && request.overrideId !== undefined
      ? await deps.store.overrides.get(request.overrideId)
      : undefined;
  if (status.frozen && request.overrideId !== undefined && !stored) {
    throw notFound(`Override ${request.overrideId} does not exist.`, { overrideId: request.overrideId });
  }
  const verdict = gateChange(status, request, stored?.override, at);
  if (verdict.outcome === 'open') return { guards, detail };
  if (verdict.outcome === 'in-flight')
    return { guards, detail: { ...detail, inFlight: verdict.windows.map((w) => w.id) } };
  if (verdict.outcome === 'override') {
    const use = { at, principal: request.principal, deploymentId: request.deploymentId };
    guards.push({ kind: 'override-use', override: verdict.override, use });
    const windows = status.windows.map((w) => w.id);
    return {
      guards,
      overrideId: verdict.override.id,
      detail: { ...detail, overrideId: verdict.override.id, windows },
    };
  }
  const code = verdict.outcome === 'frozen' ? 'freeze.frozen' : verdict.code;
  await deps.store.freezes.recordRejection({
    at,
    environment,
    kind,
    principal: request.principal,
    ...(request.bundle === undefined ? {} : { bundle: request.bundle }),
    ...(request.overrideId === undefined ? {} : { overrideId: request.overrideId }),
    windows: verdict.windows.map((w) => w.id),
    code,
    reason: verdict.message,
  });
  const context = {
    environment,
    kind,
    level: verdict.level,
    windows: verdict.windows,
    howToOverride: verdict.howToOverride,
  };
  if (verdict.outcome === 'frozen') throw new ConvoyError('frozen', verdict.message, { context });
  throw forbidden(verdict.message, { ...context, reason: code, overrideId: request.overrideId });
};

/**
 * The freeze status of a change at `at`, or undefined when no window is in force for its environment
 * and kind. Unknown namespaces match every window of the environment (fail closed): the scope only
 * matters, and is only computed, when some window is in force there.
 */
export const freezeStatusOf = async (
  deps: Deps,
  change: Pick<GateRequest, 'environment' | 'kind' | 'scope'>,
  at: string,
): Promise<{ status: FreezeStatus; scope: ChangeScope } | undefined> => {
  const { environment, kind } = change;
  const compiled = compileWindows(await deps.store.freezes.listWindows());
  if (compiled.applying({ environment, kind }, at).length === 0) return undefined;
  const scope = await change.scope();
  return { status: compiled.status({ environment, kind, ...scope }, at), scope };
};
