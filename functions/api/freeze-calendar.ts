import { requireEnvironment } from '#app/environments/environment-context.ts';
import { calendarIcs, calendarOccurrences, freezeStatusAt } from '#app/freezes/read-calendar.ts';
import { freezeOccurrencesQuerySchema, freezeStatusQuerySchema } from '#api/freezes.ts';
import { envPathSchema } from '#api/params.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { readerOf } from '../shared/caller.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { pathOf, queryOf } from '../shared/params.ts';

/** The freeze calendar as read: its iCalendar export, its occurrences in a period, an environment's status. */
export const make = apiHandler({
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
