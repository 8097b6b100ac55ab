import type { FreezeImportQuery } from '#api/freezes.ts';
import type { Problem } from '#domain/core/problem.ts';
import type { Actor } from '#store/ports.ts';
import type { Deps } from '../deps.ts';
import { importedWindows, syncAfterCalendarChange, windowsOf } from './freeze-calendar.ts';

type PutResults = Awaited<ReturnType<Deps['store']['freezes']['putWindows']>>;

/** Add (or replace) the windows of a POST /freezes document; activations and schedules follow. */
export const addWindows = async (deps: Deps, document: unknown, actor: Actor): Promise<PutResults> => {
  const results = await deps.store.freezes.putWindows(windowsOf(document), actor);
  await syncAfterCalendarChange(deps);
  return results;
};

/** Import an iCalendar file (see importedWindows for what is refused); activations and schedules follow. */
export const importCalendar = async (
  deps: Deps,
  text: string,
  query: FreezeImportQuery,
  actor: Actor,
): Promise<{ windows: PutResults; problems: Problem[] }> => {
  const { windows, problems } = importedWindows(text, query);
  const results = await deps.store.freezes.putWindows(windows, actor);
  await syncAfterCalendarChange(deps);
  return { windows: results, problems };
};

export const removeWindow = async (deps: Deps, id: string, actor: Actor): Promise<void> => {
  await deps.store.freezes.removeWindow(id, actor);
  await syncAfterCalendarChange(deps, [id]);
};
