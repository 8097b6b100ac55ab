import { z } from 'zod';
import { nameSchema } from '#domain/core/names.ts';

const instant = z.iso.datetime({ offset: true });

export const auditListQuerySchema = z.strictObject({
  env: nameSchema.optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export type AuditListQuery = z.infer<typeof auditListQuerySchema>;

export const auditVerifyQuerySchema = z.strictObject({ env: nameSchema.optional() });
export type AuditVerifyQuery = z.infer<typeof auditVerifyQuerySchema>;
