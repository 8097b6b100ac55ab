import type { FreezeStatusQuery } from '#api/freezes.ts';
import { toIcs } from '#domain/calendar/ics.ts';
import { notFound } from '#domain/core/errors.ts';
import { freezeStatus, type FreezeStatus } from '#domain/freeze/freeze-status.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import type { Deps } from '../deps.ts';

export const requireWindow = async (deps: Deps, id: string): Promise<FreezeWindow> => {
  const window = await deps.store.freezes.getWindow(id);
  if (!window) throw notFound(`Freeze window ${id} does not exist.`, { id });
  return window;
};

/** Whether a change in the environment (and the query's scope) is frozen, at query.at or else `now`. */
export const freezeStatusAt = async (
  deps: Deps,
  environment: string,
  query: FreezeStatusQuery,
  now: string,
): Promise<FreezeStatus> => {
  const scope = { environment, namespaces: query.namespace, teams: query.team, kind: query.kind };
  return freezeStatus(await deps.store.freezes.listWindows(), scope, query.at ?? now);
};

/** The whole calendar as iCalendar, stamped `at`. */
export const calendarIcs = async (deps: Deps, at: string): Promise<string> =>
  toIcs(await deps.store.freezes.listWindows(), { calendarName: 'Convoy freeze windows', stamp: at });
