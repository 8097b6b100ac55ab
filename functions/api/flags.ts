import { ofrepBulk, ofrepEvaluation, ofrepNotModified, parseOfrepRequest } from '#api/flags/ofrep.ts';
import { envPathSchema, flagPathSchema } from '#api/params.ts';
import { evaluateFlag, evaluateFlags, readFlagSet, requireFlag } from '#app/flags/flag-set.ts';
import { countEvaluations } from '#app/flags/count-evaluations.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { readerOf } from '../shared/caller.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { pathOf } from '../shared/params.ts';
import { documentOf, headerOf } from '../shared/request.ts';

export const make = apiHandler({
  'GET /environments/{env}/flags': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { env } = pathOf(event, envPathSchema);
    const set = await readFlagSet(deps, stored.catalog, env);
    // A poll holding this ETag gets 304 (functions/shared/api-handler.ts).
    const headers = { etag: set.etag, 'x-convoy-head-version': String(set.version) };
    return { status: 200, headers, body: set };
  },

  'GET /environments/{env}/flags/{key}': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { env, key } = pathOf(event, flagPathSchema);
    const set = await readFlagSet(deps, stored.catalog, env);
    return {
      status: 200,
      body: { environment: env, version: set.version, key, flag: requireFlag(set, key) },
    };
  },

  'POST /environments/{env}/ofrep/v1/evaluate/flags/{key}': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { env, key } = pathOf(event, flagPathSchema);
    const { context } = parseOfrepRequest(documentOf(event), key);
    const set = await readFlagSet(deps, stored.catalog, env);
    const result = evaluateFlag(deps, set, key, context);
    await countEvaluations(deps, env, [result]);
    const { status, body } = ofrepEvaluation(result);
    return { status, body };
  },

  'POST /environments/{env}/ofrep/v1/evaluate/flags': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { env } = pathOf(event, envPathSchema);
    const { context } = parseOfrepRequest(documentOf(event));
    const set = await readFlagSet(deps, stored.catalog, env);
    // The flag set's ETag: a client resending it gets 304 until the flags or segments change.
    if (ofrepNotModified(headerOf(event, 'if-none-match'), set.etag))
      return { status: 304, headers: { etag: set.etag } };
    const results = evaluateFlags(deps, set, context);
    await countEvaluations(deps, env, results);
    const { etag, body } = ofrepBulk(results, set.etag);
    return { status: 200, headers: { etag }, body };
  },
});

export const handler = onLambda(make);
