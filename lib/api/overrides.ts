import { z } from 'zod';
import { nameSchema } from '#domain/core/names.ts';
import { overrideStatusSchema } from '#domain/overrides/override.ts';

// The body of POST /overrides is the domain's overrideRequestSchema: its rules are the override's own.

export const overrideListQuerySchema = z.strictObject({
  status: overrideStatusSchema.optional(),
  environment: nameSchema.optional(),
});
export type OverrideListQuery = z.infer<typeof overrideListQuerySchema>;

export const approveOverrideBodySchema = z.strictObject({
  comment: z.string().trim().min(1).max(2000).optional(),
});
export type ApproveOverrideBody = z.infer<typeof approveOverrideBodySchema>;

export const rejectOverrideBodySchema = z.strictObject({
  reason: z.string().trim().min(1, 'say why the request is rejected').max(2000),
});
export type RejectOverrideBody = z.infer<typeof rejectOverrideBodySchema>;
