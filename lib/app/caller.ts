import type { Action } from '#domain/core/authorization.ts';
import { authorize } from '#domain/core/authorization.ts';
import { forbidden, notFound } from '#domain/core/errors.ts';
import type { StoredCatalog } from '#store/ports.ts';

/** Who acts, when, and the catalog their roles come from: what every use case authorizes against. */
export interface Caller {
  principal: string;
  at: string;
  stored: StoredCatalog | undefined;
}

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
