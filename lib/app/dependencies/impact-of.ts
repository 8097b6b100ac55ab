import type { Catalog } from '#domain/catalog/catalog.ts';
import { notFound } from '#domain/core/errors.ts';
import { freezeHitsOf } from '#domain/dependencies/freeze-hits.ts';
import { impact } from '#domain/dependencies/impact.ts';
import type { Impact } from '#domain/dependencies/impact-model.ts';
import type { ImpactBody } from '#api/dependencies.ts';
import type { Deps } from '../deps.ts';
import { requireEnvironment } from '../environments/environment-context.ts';
import { readDependencyState } from './dependency-state.ts';

/**
 * `POST /impact`: what a change set touches now, at the deps' clock. Bundles must have been pushed
 * (not-found naming the first that was not); keys need not exist yet (the answer lists them as
 * unknown). With an environment (which must be in the catalog) only what holds there counts.
 */
export const impactOf = async (deps: Deps, catalog: Catalog, body: ImpactBody): Promise<Impact> => {
  if (body.environment !== undefined) requireEnvironment(catalog, body.environment);
  const { graph, rollouts, windows } = await readDependencyState(deps, catalog);
  const changeSet = 'bundles' in body ? { bundles: body.bundles } : { keys: body.keys };
  const result = impact(graph, changeSet, {
    now: deps.now(),
    rollouts,
    freezes: freezeHitsOf(windows),
    ...(body.environment === undefined ? {} : { environment: body.environment }),
    ...('team' in body && body.team !== undefined ? { author: body.team } : {}),
  });
  const missing = 'bundles' in body ? result.unknown[0] : undefined;
  if (missing !== undefined)
    throw notFound(`Bundle ${missing} has not been pushed; push it first (convoy bundle push).`, {
      bundle: missing,
    });
  return result;
};
