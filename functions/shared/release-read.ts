import type { Deps } from '#app/deps.ts';
import { listReleases, loadRelease } from '#app/releases/release-context.ts';
import {
  releasePathSchema,
  releaseReadQuerySchema,
  releaseResponse,
  type ReleaseListResponse,
  type ReleaseResponse,
} from '#api/releases.ts';
import type { ApiEvent } from './api-handler.ts';
import { readerOf } from './caller.ts';
import { pathOf, queryOf } from './params.ts';

/** `GET /releases`: every release's summary; `?validate=false` leaves validating them together out. */
export const readReleaseList = async (event: ApiEvent, deps: Deps): Promise<ReleaseListResponse> => {
  const { stored, at } = await readerOf(event, deps);
  const { validate } = queryOf(event, releaseReadQuerySchema);
  const releases = await listReleases(deps, stored.catalog, at, { validate });
  return { releases, ...(validate ? {} : { validated: false as const }) };
};

/** `GET /releases/{name}`: the release's state, plan and validation (none with `?validate=false`). */
export const readRelease = async (event: ApiEvent, deps: Deps): Promise<ReleaseResponse> => {
  const { stored, at } = await readerOf(event, deps);
  const { name } = pathOf(event, releasePathSchema);
  const { validate } = queryOf(event, releaseReadQuerySchema);
  return releaseResponse(await loadRelease(deps, stored.catalog, name, at, { validate }), validate);
};
