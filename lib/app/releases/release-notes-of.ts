import { emptySnapshot } from '#domain/bundles/snapshot.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { notFound } from '#domain/core/errors.ts';
import { releaseNotes, type ReleaseNotes } from '#domain/releases/release-notes.ts';
import type { Deps } from '../deps.ts';
import { releaseCore, releaseSignoffs } from './release-context.ts';

/**
 * `GET /releases/{name}/notes`: what the release changes, per team and key. With an environment, the
 * values before are that environment's HEAD (404 for an environment the catalog does not name).
 */
export const releaseNotesOf = async (
  deps: Deps,
  catalog: Catalog,
  name: string,
  at: string,
  environment?: string,
): Promise<ReleaseNotes> => {
  if (environment !== undefined && !catalog.environments.some((e) => e.name === environment)) {
    throw notFound(`The catalog has no environment ${environment}.`, { environment });
  }
  const core = await releaseCore(deps, catalog, name, at);
  const head = environment === undefined ? undefined : await deps.store.environments.getHead(environment);
  const [snapshot, signoffs] = await Promise.all([
    head ? deps.store.snapshots.getSnapshot(head.snapshot) : undefined,
    releaseSignoffs(deps, core),
  ]);
  const description = core.manifest?.manifest.description;
  return releaseNotes({
    release: name,
    ...(description === undefined ? {} : { description }),
    sealed: core.sealed,
    catalog,
    ...(environment === undefined
      ? {}
      : { environment: { name: environment, snapshot: snapshot ?? emptySnapshot() } }),
    signoffs,
  });
};
