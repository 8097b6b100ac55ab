import { z } from 'zod';
import { parseBundle } from '#domain/bundles/parse-bundle.ts';
import { sealBundle } from '#domain/bundles/seal.ts';
import { validateBundle } from '#domain/bundles/validate-bundle.ts';
import { notFound, validationFailed } from '#domain/core/errors.ts';
import { nameSchema, releaseSchema } from '#domain/core/names.ts';
import { apiHandler, type ApiEvent } from '../shared/api-handler.ts';
import { requireAllowed, requireCatalog } from '#app/caller.ts';
import { callerOf, readerOf } from '../shared/caller.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import type { Deps } from '#app/deps.ts';
import { loadEnvironmentContext, requireEnvironment } from '#app/environments/environment-context.ts';
import { bundlePathSchema } from '#api/params.ts';
import { pathOf, queryOf } from '../shared/params.ts';
import { documentOf } from '../shared/request.ts';

const listQuerySchema = z.strictObject({ release: releaseSchema.optional(), name: nameSchema.optional() });
const validateQuerySchema = z.strictObject({ env: nameSchema.optional() });

const storedBundle = async (event: ApiEvent, deps: Deps) => {
  const { name, version } = pathOf(event, bundlePathSchema);
  const stored = await deps.store.bundles.getBundle(name, version);
  if (!stored)
    throw notFound(`Bundle ${name}@${version} has not been pushed.`, { bundle: `${name}@${version}` });
  return stored;
};

export const make = apiHandler({
  'POST /bundles': async (event, deps) => {
    const caller = await callerOf(event, deps);
    requireCatalog(caller);
    const parsed = parseBundle(documentOf(event));
    if (!parsed.ok) throw validationFailed('The bundle is invalid.', parsed.problems);
    requireAllowed(caller, 'bundle:push', { bundle: parsed.bundle });
    const sealed = sealBundle(parsed.bundle);
    const { created, summary } = await deps.store.bundles.putBundle(sealed, {
      principal: caller.principal,
      at: caller.at,
    });
    return {
      status: created ? 201 : 200,
      body: { name: summary.name, version: summary.version, hash: summary.hash, created },
    };
  },

  'GET /bundles': async (event, deps) => {
    await readerOf(event, deps);
    return {
      status: 200,
      body: { bundles: await deps.store.bundles.listBundles(queryOf(event, listQuerySchema)) },
    };
  },

  'GET /bundles/{name}/versions/{version}': async (event, deps) => {
    await readerOf(event, deps);
    const { sealed, ...summary } = await storedBundle(event, deps);
    return {
      status: 200,
      headers: { etag: `"${summary.hash}"` },
      body: { ...summary, bundle: sealed.bundle },
    };
  },

  'POST /bundles/{name}/versions/{version}/validate': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { sealed } = await storedBundle(event, deps);
    const { env } = queryOf(event, validateQuerySchema);
    if (env === undefined) {
      const result = validateBundle(sealed.bundle, { catalog: stored.catalog });
      return { status: 200, body: { ok: result.ok, problems: result.problems } };
    }
    requireEnvironment(stored.catalog, env);
    const context = await loadEnvironmentContext(deps, env, sealed.bundle.release);
    const result = validateBundle(sealed.bundle, { catalog: stored.catalog, environment: env, ...context });
    return { status: 200, body: { ok: result.ok, environment: env, problems: result.problems } };
  },
});

export const handler = onLambda(make);
