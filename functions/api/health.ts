import { apiHandler } from '../shared/api-handler.ts';
import { onLambda } from '../shared/lambda-deps.ts';

/**
 * Readiness: the table answers. A failure surfaces as 503 through the shared error mapping. `now` is
 * the server's clock: the CLI reads "now" from it (the embedded runtime's clock may be pinned).
 */
export const make = apiHandler({
  'GET /health': async (_event, deps) => {
    const stored = await deps.store.catalogs.getCatalog();
    return {
      status: 200,
      body: { status: 'ok', catalogVersion: stored?.version ?? null, now: deps.now().toISOString() },
    };
  },
});

export const handler = onLambda(make);
