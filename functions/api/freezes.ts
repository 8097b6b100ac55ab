import { apiHandler } from '../shared/api-handler.ts';
import { managerOf, readerOf } from '../shared/caller.ts';
import { requireEnvironment } from '#app/environments/environment-context.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { addWindows, importCalendar, removeWindow } from '#app/freezes/calendar-windows.ts';
import {
  calendarIcs,
  calendarOccurrences,
  freezeStatusAt,
  requireWindow,
} from '#app/freezes/read-calendar.ts';
import {
  freezeImportQuerySchema,
  freezeOccurrencesQuerySchema,
  freezePutStatus,
  freezeStatusQuerySchema,
} from '#api/freezes.ts';
import { envPathSchema, idPathSchema } from '#api/params.ts';
import { pathOf, queryOf } from '../shared/params.ts';
import { bodyText, documentOf } from '../shared/request.ts';

export const make = apiHandler({
  'POST /freezes': async (event, deps) => {
    const caller = await managerOf(event, deps);
    const windows = await addWindows(deps, documentOf(event), caller);
    return { status: freezePutStatus(windows), body: { windows } };
  },

  'GET /freezes': async (event, deps) => {
    await readerOf(event, deps);
    return { status: 200, body: { windows: await deps.store.freezes.listWindows() } };
  },

  'GET /freezes/{id}': async (event, deps) => {
    await readerOf(event, deps);
    return { status: 200, body: await requireWindow(deps, pathOf(event, idPathSchema).id) };
  },

  'DELETE /freezes/{id}': async (event, deps) => {
    const caller = await managerOf(event, deps);
    const { id } = pathOf(event, idPathSchema);
    await removeWindow(deps, id, caller);
    return { status: 200, body: { id, removed: true } };
  },

  'POST /freezes/import': async (event, deps) => {
    const caller = await managerOf(event, deps);
    const text = bodyText(event);
    const result = await importCalendar(deps, text, queryOf(event, freezeImportQuerySchema), caller);
    return { status: freezePutStatus(result.windows), body: result };
  },

  'GET /freezes/export': async (event, deps) => {
    const { at } = await readerOf(event, deps);
    const ics = await calendarIcs(deps, at);
    return { status: 200, headers: { 'content-type': 'text/calendar; charset=utf-8' }, text: ics };
  },

  'GET /freezes/occurrences': async (event, deps) => {
    await readerOf(event, deps);
    const { from, to } = queryOf(event, freezeOccurrencesQuerySchema);
    return { status: 200, body: await calendarOccurrences(deps, from, to) };
  },

  'GET /environments/{env}/freeze-status': async (event, deps) => {
    const { stored, at } = await readerOf(event, deps);
    const { env } = pathOf(event, envPathSchema);
    requireEnvironment(stored.catalog, env);
    const query = queryOf(event, freezeStatusQuerySchema);
    return { status: 200, body: await freezeStatusAt(deps, env, query, at) };
  },
});

export const handler = onLambda(make);
