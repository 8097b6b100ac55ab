import { z } from 'zod';
import { ConvoyError } from '#domain/core/errors.ts';
import { nameSchema, parameterKeySchema } from '#domain/core/names.ts';
import { prefixed } from '#domain/core/parse-part.ts';
import { parseWith } from '#domain/core/zod-problems.ts';
import {
  ofrepBulk,
  ofrepEvaluation,
  ofrepEvaluationRequestSchema,
  ofrepNotModified,
} from '#api/flags/ofrep.ts';
import type { OfrepEvaluationRequest } from '#api/flags/ofrep.ts';
import { evaluateFlag, evaluateFlags, readFlagSet, requireFlag } from '#app/flags/flag-set.ts';
import { apiHandler } from '../shared/api-handler.ts';
import type { ApiEvent } from '../shared/api-handler.ts';
import { readerOf } from '../shared/caller.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { envPathSchema, pathOf } from '../shared/params.ts';
import { documentOf, headerOf } from '../shared/request.ts';

const flagPathSchema = z.strictObject({ env: nameSchema, key: parameterKeySchema });

/**
 * An OFREP body that is not `{ context: {...} }` is 400 as OFREP says, in problem+json naming the
 * field, with OFREP's `errorCode`/`errorDetails` (and `key`) as extension members.
 */
const ofrepRequestOf = (event: ApiEvent, key?: string): OfrepEvaluationRequest => {
  const parsed = parseWith(ofrepEvaluationRequestSchema, documentOf(event));
  if (parsed.ok) return parsed.value;
  const problems = prefixed(parsed.problems, 'body');
  const details = problems.map((p) => `${p.path ?? 'body'} ${p.message}`).join('; ');
  throw new ConvoyError('bad-request', `Invalid body: ${details}`, {
    problems,
    context: { ...(key === undefined ? {} : { key }), errorCode: 'INVALID_CONTEXT', errorDetails: details },
  });
};

export const make = apiHandler({
  'GET /environments/{env}/flags': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { env } = pathOf(event, envPathSchema);
    const set = await readFlagSet(deps, stored.catalog, env);
    const headers = { etag: set.etag, 'x-convoy-head-version': String(set.version) };
    if (ofrepNotModified(headerOf(event, 'if-none-match'), set.etag)) return { status: 304, headers };
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
    const { context } = ofrepRequestOf(event, key);
    const set = await readFlagSet(deps, stored.catalog, env);
    const { status, body } = ofrepEvaluation(evaluateFlag(deps, set, key, context));
    return { status, body };
  },

  'POST /environments/{env}/ofrep/v1/evaluate/flags': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { env } = pathOf(event, envPathSchema);
    const { context } = ofrepRequestOf(event);
    const set = await readFlagSet(deps, stored.catalog, env);
    // The flag set's ETag: a client resending it gets 304 until the flags or segments change.
    if (ofrepNotModified(headerOf(event, 'if-none-match'), set.etag))
      return { status: 304, headers: { etag: set.etag } };
    const { etag, body } = ofrepBulk(evaluateFlags(deps, set, context), set.etag);
    return { status: 200, headers: { etag }, body };
  },
});

export const handler = onLambda(make);
