import { notFound } from '#domain/core/errors.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import type { SealedBundle } from '#domain/bundles/bundle.ts';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import type { Head } from '#domain/environments/head.ts';
import type { Deps } from '../deps.ts';

export interface EnvironmentContext {
  head: Head;
  snapshot: Snapshot;
  services: Record<string, string>;
  releaseBundles: SealedBundle[];
}

export const requireEnvironment = (catalog: Catalog, environment: string): void => {
  if (!catalog.environments.some((e) => e.name === environment)) {
    throw notFound(`Environment ${environment} is not in the catalog.`, { environment });
  }
};

export const requireService = (catalog: Catalog, service: string): void => {
  if (!catalog.services.some((s) => s.name === service))
    throw notFound(`Service ${service} is not in the catalog.`);
};

export const requireHead = async (deps: Deps, environment: string): Promise<Head> => {
  const head = await deps.store.environments.getHead(environment);
  if (!head)
    throw notFound(`Environment ${environment} has no HEAD; apply a catalog that lists it.`, { environment });
  return head;
};

/** Everything validation needs to know about the target environment, read in parallel. */
export const loadEnvironmentContext = async (
  deps: Deps,
  environment: string,
  release: string,
): Promise<EnvironmentContext> => environmentContextAt(deps, await requireHead(deps, environment), release);

/** The same, for a HEAD already read (a commit attempt reads HEAD once and plans against it). */
export const environmentContextAt = async (
  deps: Deps,
  head: Head,
  release: string,
): Promise<EnvironmentContext> => {
  const { environment } = head;
  const [snapshot, services, releaseBundles] = await Promise.all([
    deps.store.snapshots.getSnapshot(head.snapshot),
    deps.store.environments.listServices(environment),
    deps.store.bundles.releaseBundles(release),
  ]);
  return {
    head,
    snapshot,
    services: Object.fromEntries(services.map((s) => [s.service, s.version])),
    releaseBundles,
  };
};
