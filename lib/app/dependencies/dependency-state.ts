import type { Catalog } from '#domain/catalog/catalog.ts';
import type { JsonValue } from '#domain/core/json.ts';
import { buildDependencyGraph } from '#domain/dependencies/graph.ts';
import { flagLinksOf } from '#domain/dependencies/flag-links.ts';
import type { DependencyGraph } from '#domain/dependencies/graph-model.ts';
import type { RunningRollout } from '#domain/dependencies/impact-model.ts';
import { runningRollouts } from '#domain/dependencies/running-rollouts.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import type { Deps } from '../deps.ts';
import { environmentOverviews } from '../environments/environment-overview.ts';
import { listRollouts } from '../rollouts/list-rollouts.ts';

/** How many of the newest rollouts are looked at for the ones still running. */
const ROLLOUT_SCAN = 100;

export interface DependencyState {
  graph: DependencyGraph;
  rollouts: RunningRollout[];
  windows: FreezeWindow[];
}

/**
 * The dependency graph of what the store holds now: the catalog, every environment's HEAD
 * snapshot and reported service versions, every pushed bundle and the catalog's flags; with the
 * rollouts still running and the freeze windows, which impact analysis weighs against it.
 */
export const readDependencyState = async (deps: Deps, catalog: Catalog): Promise<DependencyState> => {
  const [overviews, summaries, rollouts, windows] = await Promise.all([
    environmentOverviews(deps, catalog),
    deps.store.bundles.listBundles(),
    listRollouts(deps, ROLLOUT_SCAN),
    deps.store.freezes.listWindows(),
  ]);
  const bundles = await Promise.all(
    summaries.map(async (s) => (await deps.store.bundles.getBundle(s.name, s.version))?.sealed.bundle),
  );
  const snapshots: Record<string, Record<string, JsonValue>> = {};
  const versions: Record<string, Record<string, string>> = {};
  for (const overview of overviews) {
    snapshots[overview.name] = overview.snapshot.values;
    versions[overview.name] = Object.fromEntries(overview.services.map((s) => [s.service, s.version]));
  }
  const graph = buildDependencyGraph({
    catalog,
    snapshots,
    versions,
    bundles: bundles.filter((b) => b !== undefined),
    flags: flagLinksOf(catalog, snapshots),
  });
  return { graph, rollouts: runningRollouts(rollouts), windows };
};
