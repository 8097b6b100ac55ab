import { z } from 'zod';
import { formatConfig, materialize } from '#domain/environments/config.ts';
import { notFound } from '#domain/core/errors.ts';
import { contentHash } from '#domain/core/json.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { requireAllowed, requireCatalog } from '#app/caller.ts';
import { callerOf, readerOf } from '../shared/caller.ts';
import { requireEnvironment, requireHead } from '#app/environments/environment-context.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { envPathSchema, pathOf, queryOf, servicePathSchema } from '../shared/params.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import { documentOf, headerOf } from '../shared/request.ts';

const configQuerySchema = z.strictObject({
  format: z.enum(['json', 'yaml', 'dotenv']).default('json'),
  prefix: z
    .string()
    .max(256)
    .regex(/^[A-Za-z0-9_.-]*$/, 'must be a key prefix')
    .optional(),
});
const contentTypes = {
  json: 'application/json',
  yaml: 'application/yaml',
  dotenv: 'text/plain; charset=utf-8',
};
const serviceBodySchema = z.strictObject({
  version: z
    .string()
    .regex(
      /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/,
      'must be a semantic version like 2.3.1',
    ),
});

export const make = apiHandler({
  'GET /environments': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const environments = await Promise.all(
      stored.catalog.environments.map(async ({ name }) => {
        const head = await requireHead(deps, name);
        const [snapshot, services] = await Promise.all([
          deps.store.snapshots.getSnapshot(head.snapshot),
          deps.store.environments.listServices(name),
        ]);
        return {
          name,
          head: {
            version: head.version,
            snapshot: head.snapshot,
            deploymentId: head.deploymentId,
            updatedAt: head.updatedAt,
          },
          bundles: snapshot.bundles.map((b) => `${b.name}@${b.version}`),
          services: services.map((s) => ({ service: s.service, version: s.version })),
        };
      }),
    );
    return { status: 200, body: { environments } };
  },

  'GET /environments/{env}/config': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { env } = pathOf(event, envPathSchema);
    requireEnvironment(stored.catalog, env);
    const { format, prefix } = queryOf(event, configQuerySchema);
    const head = await requireHead(deps, env);
    // The config is a function of the snapshot, the catalog (defaults) and the rendering.
    const etag = `"${contentHash([head.snapshot, stored.hash, format, prefix ?? ''])}"`;
    const headers = { etag, 'x-convoy-head-version': String(head.version) };
    if (headerOf(event, 'if-none-match') === etag) return { status: 304, headers };
    const { values } = materialize(stored.catalog, await deps.store.snapshots.getSnapshot(head.snapshot));
    return {
      status: 200,
      headers: { ...headers, 'content-type': contentTypes[format] },
      text: formatConfig(values, format, prefix),
    };
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
    if (!catalog.services.some((s) => s.name === service))
      throw notFound(`Service ${service} is not in the catalog.`);
    requireAllowed(caller, 'service:report', { service });
    const { version } = parsePart(serviceBodySchema, documentOf(event), 'body');
    const reported = await deps.store.environments.reportService(env, service, version, caller);
    return { status: 200, body: { environment: env, ...reported } };
  },
});

export const handler = onLambda(make);
