import { formatConfig, materialize } from '#domain/environments/config.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { requireAllowed, requireCatalog } from '#app/caller.ts';
import { callerOf, readerOf } from '../shared/caller.ts';
import { requireEnvironment, requireHead, requireService } from '#app/environments/environment-context.ts';
import { environmentOverviews } from '#app/environments/environment-overview.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { reportServiceVersion } from '#app/flags/report-service.ts';
import { envPathSchema, servicePathSchema } from '#api/params.ts';
import {
  configContentTypes,
  configHeaders,
  configQuerySchema,
  environmentStatus,
  serviceBodySchema,
} from '#api/environments.ts';
import { holdsEtag, pathOf, queryOf } from '../shared/params.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import { documentOf } from '../shared/request.ts';
export const make = apiHandler({
  'GET /environments': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const environments = (await environmentOverviews(deps, stored.catalog)).map(environmentStatus);
    return { status: 200, body: { environments } };
  },

  'GET /environments/{env}/config': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { env } = pathOf(event, envPathSchema);
    requireEnvironment(stored.catalog, env);
    const query = queryOf(event, configQuerySchema);
    const head = await requireHead(deps, env);
    const headers = configHeaders(head, stored.hash, query);
    if (holdsEtag(event, headers.etag)) return { status: 200, headers }; // 304, shaped by apiHandler
    const { values } = materialize(stored.catalog, await deps.store.snapshots.getSnapshot(head.snapshot));
    const text = formatConfig(values, query.format, query.prefix);
    return { status: 200, headers: { ...headers, 'content-type': configContentTypes[query.format] }, text };
  },

  'GET /environments/{env}/services': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { env } = pathOf(event, envPathSchema);
    requireEnvironment(stored.catalog, env);
    return { status: 200, body: { services: await deps.store.environments.listServices(env) } };
  },

  'PUT /environments/{env}/services/{service}': async (event, deps) => {
    const caller = await callerOf(event, deps);
    const { env, service } = pathOf(event, servicePathSchema);
    const { catalog } = requireCatalog(caller);
    requireEnvironment(catalog, env);
    requireService(catalog, service);
    requireAllowed(caller, 'service:report', { service });
    const { version } = parsePart(serviceBodySchema, documentOf(event), 'body');
    const reported = await reportServiceVersion(deps, catalog, env, service, version, caller);
    return { status: 200, body: { environment: env, ...reported } };
  },
});

export const handler = onLambda(make);
