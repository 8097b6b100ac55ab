import type { Action } from '#domain/core/authorization.ts';
import { authorize } from '#domain/core/authorization.ts';
import { forbidden, notFound } from '#domain/core/errors.ts';
import type { StoredCatalog } from '#store/ports.ts';
import type { Deps } from '#app/deps.ts';
import type { ApiEvent } from './api-handler.ts';
import { principalOf } from './request.ts';

export interface Caller {
  principal: string;
  at: string;
  stored: StoredCatalog | undefined;
}

/** Who is calling, when, and the catalog their roles come from. */
export const callerOf = async (event: ApiEvent, deps: Deps): Promise<Caller> => {
  const principal = principalOf(event);
  return { principal, at: deps.now().toISOString(), stored: await deps.store.catalogs.getCatalog() };
};

export const requireCatalog = (caller: Caller): StoredCatalog => {
  if (!caller.stored)
    throw notFound('No catalog has been applied yet; apply one with `convoy catalog apply <file>`.');
  return caller.stored;
};

/** What an action is about (the bundle pushed, the service reported, the override's scope or routing). */
export type Subject = Omit<Parameters<typeof authorize>[0], 'catalog' | 'principal' | 'action'>;

/** Throws 403 with the domain's reason unless the caller may perform `action`. */
export const requireAllowed = (caller: Caller, action: Action, subject: Subject = {}): void => {
  const verdict = authorize({
    catalog: caller.stored?.catalog,
    principal: caller.principal,
    action,
    ...subject,
  });
  if (!verdict.allowed) throw forbidden(verdict.reason, { action, principal: caller.principal });
};

/** Read routes: a catalog must exist and the caller must be allowed to read. */
export const readerOf = async (event: ApiEvent, deps: Deps): Promise<Caller & { stored: StoredCatalog }> => {
  const caller = await callerOf(event, deps);
  const stored = requireCatalog(caller);
  requireAllowed(caller, 'read');
  return { ...caller, stored };
};
