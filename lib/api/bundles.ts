import { z } from 'zod';
import type { Bundle, BundleSummary } from '#domain/bundles/bundle.ts';
import { nameSchema, releaseSchema } from '#domain/core/names.ts';
import type { Problem } from '#domain/core/problem.ts';

export const bundleListQuerySchema = z.strictObject({
  release: releaseSchema.optional(),
  name: nameSchema.optional(),
});
export type BundleListQuery = z.infer<typeof bundleListQuerySchema>;

export const bundleValidateQuerySchema = z.strictObject({ env: nameSchema.optional() });
export type BundleValidateQuery = z.infer<typeof bundleValidateQuerySchema>;

/** POST /bundles: 201 when the version is new, 200 when the same content was pushed again. */
export interface BundlePushResponse {
  name: string;
  version: string;
  hash: string;
  created: boolean;
}

export const bundlePushResponse = (summary: BundleSummary, created: boolean): BundlePushResponse => ({
  name: summary.name,
  version: summary.version,
  hash: summary.hash,
  created,
});

/** GET /bundles/{name}/versions/{version}. */
export type BundleResponse = BundleSummary & { bundle: Bundle };

/** POST …/validate: `environment` only when validated against one. */
export interface BundleValidationResponse {
  ok: boolean;
  environment?: string;
  problems: Problem[];
}
