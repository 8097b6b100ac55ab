import { z } from 'zod';
import { notFound } from '#domain/core/errors.ts';
import { nameSchema } from '#domain/core/names.ts';
import { freezeStatus } from '#domain/freeze/freeze-status.ts';
import { toIcs } from '#domain/calendar/ics.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { managerOf, readerOf } from '../shared/caller.ts';
import { requireEnvironment } from '#app/environments/environment-context.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import {
  freezeStatusQuerySchema,
  importedWindows,
  importQuerySchema,
  syncAfterCalendarChange,
  windowsOf,
} from '#app/freezes/freeze-calendar.ts';
import { envPathSchema } from '#api/params.ts';
import { pathOf, queryOf } from '../shared/params.ts';
import { bodyText, documentOf } from '../shared/request.ts';

const idPathSchema = z.strictObject({ id: nameSchema });

export const make = apiHandler({
  'POST /freezes': async (event, deps) => {
    const caller = await managerOf(event, deps);
    const windows = windowsOf(documentOf(event));
    const results = await deps.store.freezes.putWindows(windows, caller);
    await syncAfterCalendarChange(deps);
    const created = results.some((r) => r.created);
    return { status: created ? 201 : 200, body: { windows: results } };
  },

  'GET /freezes': async (event, deps) => {
    await readerOf(event, deps);
    return { status: 200, body: { windows: await deps.store.freezes.listWindows() } };
  },

  'GET /freezes/{id}': async (event, deps) => {
    await readerOf(event, deps);
    const { id } = pathOf(event, idPathSchema);
    const window = await deps.store.freezes.getWindow(id);
    if (!window) throw notFound(`Freeze window ${id} does not exist.`, { id });
    return { status: 200, body: window };
  },

  'DELETE /freezes/{id}': async (event, deps) => {
    const caller = await managerOf(event, deps);
    const { id } = pathOf(event, idPathSchema);
    await deps.store.freezes.removeWindow(id, caller);
    await syncAfterCalendarChange(deps, [id]);
    return { status: 200, body: { id, removed: true } };
  },

  'POST /freezes/import': async (event, deps) => {
    const caller = await managerOf(event, deps);
    const { windows, problems } = importedWindows(bodyText(event), queryOf(event, importQuerySchema));
    const results = await deps.store.freezes.putWindows(windows, caller);
    await syncAfterCalendarChange(deps);
    return { status: results.some((r) => r.created) ? 201 : 200, body: { windows: results, problems } };
  },

  'GET /freezes/export': async (event, deps) => {
    const { at } = await readerOf(event, deps);
    const ics = toIcs(await deps.store.freezes.listWindows(), {
      calendarName: 'Convoy freeze windows',
      stamp: at,
    });
    return { status: 200, headers: { 'content-type': 'text/calendar; charset=utf-8' }, text: ics };
  },

  'GET /environments/{env}/freeze-status': async (event, deps) => {
    const { stored, at } = await readerOf(event, deps);
    const { env } = pathOf(event, envPathSchema);
    requireEnvironment(stored.catalog, env);
    const query = queryOf(event, freezeStatusQuerySchema);
    const windows = await deps.store.freezes.listWindows();
    const status = freezeStatus(
      windows,
      { environment: env, namespaces: query.namespace, teams: query.team, kind: query.kind },
      query.at ?? at,
    );
    return { status: 200, body: status };
  },
});

export const handler = onLambda(make);
