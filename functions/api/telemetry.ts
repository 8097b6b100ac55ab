import { flagMetricsBodySchema, flagReportQuerySchema } from '#api/flags/flag-metrics.ts';
import { flagReportContentTypes, formatFlagReport } from '#api/formats/flag-report.ts';
import { buildFlagReport } from '#app/flags/flag-report.ts';
import { defaultFlagReportThresholds } from '#domain/flags/flag-report.ts';
import { envPathSchema } from '#api/params.ts';
import { recordFlagMetrics } from '#app/flags/flag-metrics.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { readerOf } from '../shared/caller.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { idempotencyKeyOf, pathOf, queryOf } from '../shared/params.ts';
import { documentOf } from '../shared/request.ts';

const definedOf = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export const make = apiHandler({
  // Any reader may report the evaluations it made (providers hold viewer credentials). With an
  // Idempotency-Key the batch counts once, however often it is sent.
  'POST /environments/{env}/flags/metrics': async (event, deps) => {
    const { stored, principal, at } = await readerOf(event, deps);
    const { env } = pathOf(event, envPathSchema);
    const body = parsePart(flagMetricsBodySchema, documentOf(event), 'body');
    const key = idempotencyKeyOf(event);
    const keyed = key === undefined ? undefined : { key, principal, at, body };
    const recorded = await recordFlagMetrics(deps, stored.catalog, env, body.bucket, keyed);
    return { status: 202, body: { environment: env, ...recorded } };
  },

  'GET /environments/{env}/flags/report': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { env } = pathOf(event, envPathSchema);
    const { format, since, ...thresholds } = queryOf(event, flagReportQuerySchema);
    const report = await buildFlagReport(deps, stored.catalog, env, {
      ...(since === undefined ? {} : { since }),
      thresholds: { ...defaultFlagReportThresholds, ...definedOf(thresholds) },
    });
    if (format === 'json') return { status: 200, body: report };
    const headers = { 'content-type': flagReportContentTypes[format] };
    return { status: 200, headers, text: formatFlagReport(report, format) };
  },
});

export const handler = onLambda(make);
