import { requestCheckpoint, verifyTrail } from '#app/audit/audit-requests.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { callerOf, readerOf } from '../shared/caller.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { requireEnvironment } from '#app/environments/environment-context.ts';
import { auditListQuerySchema, auditVerifyQuerySchema } from '#api/audit.ts';
import { queryOf } from '../shared/params.ts';

export const make = apiHandler({
  'GET /audit': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const query = queryOf(event, auditListQuerySchema);
    if (query.env !== undefined) requireEnvironment(stored.catalog, query.env);
    const events = await deps.store.audit.listEvents({
      chain: query.env,
      from: query.from,
      to: query.to,
      limit: query.limit ?? 100,
    });
    return { status: 200, body: { events } };
  },

  'GET /audit/verify': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { env } = queryOf(event, auditVerifyQuerySchema);
    if (env !== undefined) requireEnvironment(stored.catalog, env);
    return { status: 200, body: await verifyTrail(deps, env) };
  },

  'POST /audit/checkpoints': async (event, deps) => {
    const caller = await callerOf(event, deps);
    return { status: 201, body: await requestCheckpoint(deps, caller) };
  },
});

export const handler = onLambda(make);
