import { apiHandler } from '../shared/api-handler.ts';
import { callerOf, readerOf } from '../shared/caller.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { pushBundle } from '#app/bundles/push-bundle.ts';
import { requireBundle, validateStoredBundle } from '#app/bundles/stored-bundle.ts';
import { bundleListQuerySchema, bundlePushResponse, bundleValidateQuerySchema } from '#api/bundles.ts';
import { bundlePathSchema } from '#api/params.ts';
import { pathOf, queryOf } from '../shared/params.ts';
import { documentOf } from '../shared/request.ts';

export const make = apiHandler({
  'POST /bundles': async (event, deps) => {
    const caller = await callerOf(event, deps);
    const { created, summary } = await pushBundle(deps, caller, documentOf(event));
    return { status: created ? 201 : 200, body: bundlePushResponse(summary, created) };
  },

  'GET /bundles': async (event, deps) => {
    await readerOf(event, deps);
    const bundles = await deps.store.bundles.listBundles(queryOf(event, bundleListQuerySchema));
    return { status: 200, body: { bundles } };
  },

  'GET /bundles/{name}/versions/{version}': async (event, deps) => {
    await readerOf(event, deps);
    const { name, version } = pathOf(event, bundlePathSchema);
    const { sealed, ...summary } = await requireBundle(deps, name, version);
    return {
      status: 200,
      headers: { etag: `"${summary.hash}"` },
      body: { ...summary, bundle: sealed.bundle },
    };
  },

  'POST /bundles/{name}/versions/{version}/validate': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { name, version } = pathOf(event, bundlePathSchema);
    const bundle = await requireBundle(deps, name, version);
    const { env } = queryOf(event, bundleValidateQuerySchema);
    const { ok, problems } = await validateStoredBundle(deps, stored.catalog, bundle, env);
    return { status: 200, body: env === undefined ? { ok, problems } : { ok, environment: env, problems } };
  },
});

export const handler = onLambda(make);
