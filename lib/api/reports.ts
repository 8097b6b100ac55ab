import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });

export const complianceQuerySchema = z.strictObject({
  from: instant,
  to: instant,
  format: z.enum(['json', 'md', 'csv']).default('json'),
});
export type ComplianceQuery = z.infer<typeof complianceQuerySchema>;

/** The text renderings of the report (json is the ordinary JSON body). */
export const complianceContentTypes = { md: 'text/markdown; charset=utf-8', csv: 'text/csv; charset=utf-8' };
