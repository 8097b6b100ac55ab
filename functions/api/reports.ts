import { badRequest } from '#domain/core/errors.ts';
import { complianceReport } from '#domain/compliance/compliance.ts';
import { formatComplianceReport } from '#api/formats/compliance-report.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { readerOf } from '../shared/caller.ts';
import { complianceInput } from '#app/compliance/build-compliance-input.ts';
import { complianceContentTypes, complianceQuerySchema } from '#api/reports.ts';
import { queryOf } from '../shared/params.ts';

export const make = apiHandler({
  'GET /reports/freeze-compliance': async (event, deps) => {
    await readerOf(event, deps);
    const { from, to, format } = queryOf(event, complianceQuerySchema);
    if (Date.parse(from) >= Date.parse(to)) {
      throw badRequest('from must be before to.', [
        { code: 'report.period', path: 'query.to', message: 'must be after from' },
      ]);
    }
    const report = complianceReport(await complianceInput(deps, from, to));
    if (format === 'json') return { status: 200, body: report };
    return {
      status: 200,
      headers: { 'content-type': complianceContentTypes[format] },
      text: formatComplianceReport(report, format),
    };
  },
});

export const handler = onLambda(make);
