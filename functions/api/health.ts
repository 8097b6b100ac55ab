import { apiHandler } from '../shared/api-handler.ts';

/** Readiness: the table answers. A failure surfaces as 503 through the shared error mapping. */
export const handler = apiHandler({
  'GET /health': async (_event, deps) => {
    const stored = await deps.store.catalogs.getCatalog();
    return { status: 200, body: { status: 'ok', catalogVersion: stored?.version ?? null } };
  },
});
