import type { SealedBundle } from '#domain/bundles/bundle.ts';
import { isConvoyError } from '#domain/core/errors.ts';
import { formatBundleRef } from '#domain/core/names.ts';
import { freezeWindowSchema, type FreezeWindow } from '#domain/freeze/freeze-window.ts';
import { durationMs } from '#domain/rollout/iso-duration.ts';
import type { Scenario } from '#domain/rollout/scenario-schema.ts';
import type { StoredCatalog } from '#store/ports.ts';
import { deployBundle } from '#app/deployments/change-environment.ts';
import type { Deps } from '#app/deps.ts';
import type { EnvironmentState, SimulationInputs } from './simulation-inputs.ts';

/** The principal of everything the simulator writes itself (seeding). */
export const SIMULATOR_PRINCIPAL = 'simulator';

/** One freeze window per scripted freeze: `scenario-freeze-<index>`, from start + from to start + to. */
export const scenarioWindows = (scenario: Scenario, start: number, horizon: number): FreezeWindow[] =>
  scenario.freezes.map((freeze, index) => {
    const id = `scenario-freeze-${index}`;
    const end = freeze.to === undefined ? horizon : start + durationMs(freeze.to);
    return freezeWindowSchema.parse({
      id,
      name: freeze.name ?? id,
      scope: { environments: freeze.environments },
      schedule: {
        start: new Date(start + durationMs(freeze.from)).toISOString(),
        end: new Date(end).toISOString(),
      },
      level: freeze.level,
      inFlight: freeze.inFlight,
    });
  });

/** Push each bundle once (the rollout's may also be behind an environment's state). */
const pushBundles = async (deps: Deps, bundles: readonly SealedBundle[], at: string): Promise<void> => {
  const unique = new Map(bundles.map((sealed) => [formatBundleRef(sealed.bundle), sealed]));
  for (const sealed of unique.values())
    await deps.store.bundles.putBundle(sealed, { principal: SIMULATOR_PRINCIPAL, at });
};

/**
 * Rebuild one environment's state: the services the API reports, then its bundles deployed in the
 * order they were applied, through the platform's deploy path. The snapshot this gives is the API's
 * unless the environment's history rolled back or re-ordered bundles; a mismatch or a bundle that no
 * longer deploys is noted, and the simulation goes on from the state rebuilt.
 */
const rebuildEnvironment = async (
  deps: Deps,
  catalog: StoredCatalog,
  environment: EnvironmentState,
  at: string,
  notes: string[],
): Promise<void> => {
  const actor = { principal: SIMULATOR_PRINCIPAL, at };
  for (const { service, version } of environment.services)
    await deps.store.environments.reportService(environment.name, service, version, actor);
  for (const ref of environment.bundles) {
    const split = ref.lastIndexOf('@');
    const request = { environment: environment.name, principal: SIMULATOR_PRINCIPAL, at, catalog };
    try {
      await deployBundle(deps, request, { name: ref.slice(0, split), version: ref.slice(split + 1) });
    } catch (error) {
      if (!isConvoyError(error)) throw error;
      notes.push(
        `${environment.name}: ${ref} could not be deployed again (${error.message}); it is left out.`,
      );
    }
  }
  const head = await deps.store.environments.getHead(environment.name);
  if (head?.snapshot !== environment.snapshot)
    notes.push(
      `${environment.name}: rebuilt from its bundles (${environment.bundles.join(', ')}), its configuration differs from the API's (snapshot ${environment.snapshot.slice(0, 12)}).`,
    );
};

/**
 * Seed the scratch table: the catalog, the bundles, the environments' current state (from the API),
 * then the freeze windows, the API's and the scenario's (after the state, which a window in force
 * would refuse).
 * Returns notes on anything that could not be reproduced exactly.
 */
export const seedSimulation = async (
  deps: Deps,
  inputs: SimulationInputs,
  window: { start: number; horizon: number },
): Promise<string[]> => {
  const notes: string[] = [];
  const at = new Date(window.start).toISOString();
  const actor = { principal: SIMULATOR_PRINCIPAL, at };
  const catalog = await deps.store.catalogs.putCatalog(inputs.catalog, 0, actor);
  const unit = inputs.bundle ? [inputs.bundle] : (inputs.release?.bundles ?? []);
  await pushBundles(deps, [...inputs.bundles, ...unit], at);
  await Promise.all(
    inputs.environments.map((environment) => rebuildEnvironment(deps, catalog, environment, at, notes)),
  );
  const windows = [...inputs.windows, ...scenarioWindows(inputs.scenario, window.start, window.horizon)];
  if (windows.length > 0) await deps.store.freezes.putWindows(windows, actor);
  return notes;
};
