import type { FreezeOccurrencesResponse, FreezeStatusQuery } from '#api/freezes.ts';
import { toIcs } from '#domain/calendar/ics.ts';
import { notFound } from '#domain/core/errors.ts';
import { freezeStatus, type FreezeStatus } from '#domain/freeze/freeze-status.ts';
import { isRecurring, type FreezeWindow } from '#domain/freeze/freeze-window.ts';
import { compileWindow } from '#domain/freeze/compiled-window.ts';
import { toIso } from '#domain/freeze/local-time.ts';
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

/**
 * The calendar's occurrences intersecting [start, end) (epoch ms), recurring windows expanded, ordered
 * by start then window id: what a calendar view draws.
 */
export const calendarOccurrences = async (
  deps: Deps,
  start: number,
  end: number,
): Promise<FreezeOccurrencesResponse> => {
  const occurrences = (await deps.store.freezes.listWindows())
    .map(compileWindow)
    .flatMap(({ window: w, allow, source }) =>
      source()
        .between(start, end)
        .map((o) => ({
          id: w.id,
          name: w.name,
          level: w.level,
          scope: w.scope,
          allow,
          timezone: w.schedule.timezone ?? 'UTC',
          recurring: isRecurring(w.schedule),
          start: toIso(o.start),
          end: toIso(o.end),
        })),
    )
    .sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
  return { from: toIso(start), to: toIso(end), occurrences };
};
