import { notFound } from '#domain/core/errors.ts';
import type { InFlightContext } from '#domain/freeze/in-flight.ts';
import { gateChange } from '#domain/overrides/change-gate.ts';
import { bundleScope, releaseScope, type ChangeScope } from '#domain/freeze/change-scope.ts';
import type { RolloutBundle } from '#domain/rollout/events.ts';
import { compileWindows } from '#domain/freeze/freeze-status.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import type { FreezeHold } from '#domain/rollout/next-step.ts';
import { remainingEnvironments } from '#domain/rollout/progress.ts';
import { QUIET_STRETCH_MS } from '#domain/rollout/quiet-checks.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import type { StoredCatalog } from '#store/ports.ts';
import type { Deps } from '../deps.ts';
import { releaseCore } from '../releases/release-context.ts';

/** The inFlight context of a phase deployment to `environment` (the phase started, or not yet). */
export const inFlightContext = (state: RolloutState, environment: string): InFlightContext => {
  const current = state.phases[state.currentPhaseIndex];
  const phaseStartedAt = current?.environments.includes(environment) ? current.startedAt : null;
  return { rolloutStartedAt: state.startedAt ?? '', ...(phaseStartedAt ? { phaseStartedAt } : {}) };
};

/** What the rollout's unit touches: its bundle, or every bundle of its release (the pinned versions). */
const unitScope = async (
  deps: Deps,
  state: RolloutState,
  bundle: RolloutBundle,
  catalog: StoredCatalog,
  at: string,
): Promise<ChangeScope> => {
  if (state.release) {
    const core = await releaseCore(deps, catalog.catalog, state.release.name, at, state.release.bundles);
    return releaseScope(
      catalog.catalog,
      core.sealed.map((s) => s.bundle),
    );
  }
  const stored = await deps.store.bundles.getBundle(bundle.name, bundle.version);
  if (!stored) throw notFound(`Bundle ${bundle.name}@${bundle.version} is gone.`);
  return bundleScope(catalog.catalog, stored.sealed.bundle);
};

/** The holds in force now, and when the calendar next changes anything (null: not within a stretch). */
export interface FreezeOutlook {
  holds: FreezeHold[];
  change: number | null;
}

/**
 * The freeze windows that refuse, at `at`, a `rollout-phase` change in each environment the rollout has
 * yet to deploy (`only`: just these), by the same gate the commit passes: windows that began mid-rollout
 * apply their inFlight policy. Reading only; the commit still checks the freeze guard. Also says when
 * the calendar next changes (any window starting or ending), which bounds a quiet stretch.
 */
export const freezeOutlook = async (
  deps: Deps,
  state: RolloutState,
  catalog: StoredCatalog,
  at: string,
  only?: readonly string[],
  /** The calendar, when the caller read it already (alongside its other reads). */
  listed?: Promise<FreezeWindow[]>,
): Promise<FreezeOutlook> => {
  const compiled = compileWindows(await (listed ?? deps.store.freezes.listWindows()));
  const change = compiled.boundaryAfter(Date.parse(at), Date.parse(at) + QUIET_STRETCH_MS);
  const environments = only ?? remainingEnvironments(state);
  const applying = environments.filter(
    (environment) => compiled.applying({ environment, kind: 'rollout-phase' }, at).length > 0,
  );
  if (applying.length === 0 || state.bundle === null) return { holds: [], change };
  const scope = await unitScope(deps, state, state.bundle, catalog, at);
  const holds: FreezeHold[] = [];
  for (const environment of applying) {
    const status = compiled.status({ environment, kind: 'rollout-phase', ...scope }, at);
    const proposed = {
      environment,
      kind: 'rollout-phase' as const,
      inFlight: inFlightContext(state, environment),
    };
    if (gateChange(status, proposed, undefined, at).outcome !== 'frozen') continue;
    const windows = status.windows.map((w) => ({ id: w.id, name: w.name, inFlight: w.inFlight, end: w.end }));
    holds.push({ environment, windows });
  }
  return { holds, change };
};

/** The holds of freezeOutlook. */
export const freezeHolds = async (
  deps: Deps,
  state: RolloutState,
  catalog: StoredCatalog,
  at: string,
  only?: readonly string[],
): Promise<FreezeHold[]> => (await freezeOutlook(deps, state, catalog, at, only)).holds;
