import { apiHandler } from '../shared/api-handler.ts';
import { managerOf, readerOf } from '../shared/caller.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { addWindows, importCalendar, removeWindow } from '#app/freezes/calendar-windows.ts';
import { requireWindow } from '#app/freezes/read-calendar.ts';
import { freezeImportQuerySchema, freezePutStatus } from '#api/freezes.ts';
import { idPathSchema } from '#api/params.ts';
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
});

export const handler = onLambda(make);
