import { flagMetricsBodySchema } from '#api/flags/flag-metrics.ts';
import { envPathSchema } from '#api/params.ts';
import { recordFlagMetrics } from '#app/flags/flag-metrics.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { readerOf } from '../shared/caller.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { pathOf } from '../shared/params.ts';
import { documentOf } from '../shared/request.ts';

export const make = apiHandler({
  // Any reader may report the evaluations it made (providers hold viewer credentials).
  'POST /environments/{env}/flags/metrics': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { env } = pathOf(event, envPathSchema);
    const { bucket } = parsePart(flagMetricsBodySchema, documentOf(event), 'body');
    const recorded = await recordFlagMetrics(deps, stored.catalog, env, bucket);
    return { status: 202, body: { environment: env, ...recorded } };
  },
});

export const handler = onLambda(make);
