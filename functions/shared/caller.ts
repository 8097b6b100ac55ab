import type { StoredCatalog } from '#store/ports.ts';
import { requireAllowed, requireCatalog, type Caller } from '#app/caller.ts';
import type { Deps } from '#app/deps.ts';
import type { ApiEvent } from './api-handler.ts';
import { principalOf } from './request.ts';

/** Who is calling, when, and the catalog their roles come from. */
export const callerOf = async (event: ApiEvent, deps: Deps): Promise<Caller> => {
  const principal = principalOf(event);
  return { principal, at: deps.now().toISOString(), stored: await deps.store.catalogs.getCatalog() };
};

/** Read routes: a catalog must exist and the caller must be allowed to read. */
export const readerOf = async (event: ApiEvent, deps: Deps): Promise<Caller & { stored: StoredCatalog }> => {
  const caller = await callerOf(event, deps);
  const stored = requireCatalog(caller);
  requireAllowed(caller, 'read');
  return { ...caller, stored };
};

/** Windows are managed by release managers only. */
export const managerOf = async (event: ApiEvent, deps: Deps): Promise<Caller> => {
  const caller = await callerOf(event, deps);
  requireCatalog(caller);
  requireAllowed(caller, 'freeze:manage');
  return caller;
};
