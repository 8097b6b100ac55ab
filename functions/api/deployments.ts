import { apiHandler } from '../shared/api-handler.ts';
import { changeRequestOf, delivered } from '../shared/change-request.ts';
import { flagSwitched } from '../shared/flag-switch.ts';
import { syncEnvironment } from '#app/sinks/sync-sink.ts';
import { requireAllowed, requireCatalog } from '#app/caller.ts';
import { callerOf, readerOf } from '../shared/caller.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { deployBundle, rollbackEnvironment } from '#app/deployments/change-environment.ts';
import { requireEnvironment } from '#app/environments/environment-context.ts';
import { envPathSchema } from '#api/params.ts';
import {
  deployBodySchema,
  deploymentListQuerySchema,
  rollbackBodySchema,
  syncBodySchema,
  syncResponse,
} from '#api/deployments.ts';
import { pathOf, queryOf } from '../shared/params.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import { documentOf } from '../shared/request.ts';

export const make = apiHandler({
  'POST /environments/{env}/deployments': async (event, deps) => {
    const request = await changeRequestOf(event, deps, 'deploy');
    const { bundle, override } = parsePart(deployBodySchema, documentOf(event), 'body');
    return delivered(deps, request, await deployBundle(deps, { ...request, overrideId: override }, bundle));
  },

  'GET /environments/{env}/deployments': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { env } = pathOf(event, envPathSchema);
    requireEnvironment(stored.catalog, env);
    const { limit } = queryOf(event, deploymentListQuerySchema);
    const deployments = await deps.store.environments.listDeployments(env, limit ?? 50);
    return { status: 200, body: { deployments } };
  },

  'POST /environments/{env}/rollback': async (event, deps) => {
    const request = await changeRequestOf(event, deps, 'rollback');
    const body = event.body ? parsePart(rollbackBodySchema, documentOf(event), 'body') : {};
    const result = await rollbackEnvironment(deps, { ...request, overrideId: body.override }, body.to);
    return delivered(deps, request, result);
  },

  'POST /environments/{env}/flags/{key}/{action}': flagSwitched,

  'POST /environments/{env}/sync': async (event, deps) => {
    const caller = await callerOf(event, deps);
    const { env } = pathOf(event, envPathSchema);
    const { catalog } = requireCatalog(caller);
    requireEnvironment(catalog, env);
    requireAllowed(caller, 'deploy');
    if (event.body) parsePart(syncBodySchema, documentOf(event), 'body');
    return { status: 200, body: syncResponse(env, await syncEnvironment(deps, catalog, env)) };
  },
});

export const handler = onLambda(make);
