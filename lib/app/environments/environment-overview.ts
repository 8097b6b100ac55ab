import { flagCounts } from '#domain/flags/flag-counts.ts';
import type { FlagCounts } from '#domain/flags/flag-counts.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import type { Head } from '#domain/environments/head.ts';
import type { ServiceVersion } from '#store/ports.ts';
import type { Deps } from '../deps.ts';
import { requireHead } from './environment-context.ts';

export interface EnvironmentOverview {
  name: string;
  head: Head;
  snapshot: Snapshot;
  services: ServiceVersion[];
  /** Its flags at HEAD, by state. */
  flags: FlagCounts;
}

/** Every catalog environment with its HEAD, live snapshot and reported services, read in parallel. */
export const environmentOverviews = (deps: Deps, catalog: Catalog): Promise<EnvironmentOverview[]> =>
  Promise.all(
    catalog.environments.map(async ({ name }) => {
      const head = await requireHead(deps, name);
      const [snapshot, services] = await Promise.all([
        deps.store.snapshots.getSnapshot(head.snapshot),
        deps.store.environments.listServices(name),
      ]);
      return { name, head, snapshot, services, flags: flagCounts(catalog, snapshot.values) };
    }),
  );
