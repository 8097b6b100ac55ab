import { z } from 'zod';
import { parameterKeySchema } from '#domain/core/names.ts';

/** Reasons an evaluation is counted under: OpenFeature's, Convoy's own, and ERROR. */
export const countedReasons = [
  'STATIC',
  'TARGETING_MATCH',
  'SPLIT',
  'DEFAULT',
  'DISABLED',
  'PREREQUISITE_FAILED',
  'REQUIREMENT_UNMET',
  'CACHED',
  'UNKNOWN',
  'ERROR',
] as const;

/** Most counts one batch may carry (a provider's bounded buffer sends fewer). */
export const MAX_BATCH_COUNTS = 1000;

const instant = z.iso.datetime({ offset: true });

/**
 * `POST /environments/{env}/flags/metrics`: a provider's evaluation counts over one time bucket, in
 * the shape of Unleash's client metrics (`appName`, `instanceId`, `bucket: { start, stop, ... }`) with
 * one count per (flag, variant, reason) instead of Unleash's yes/no per toggle. Strict: an unknown
 * member, a count that is not a positive integer or a bucket that ends before it starts is a 400.
 */
export const flagMetricsBodySchema = z.strictObject({
  appName: z.string().min(1).max(200).optional(),
  instanceId: z.string().min(1).max(200).optional(),
  bucket: z
    .strictObject({
      start: instant,
      stop: instant,
      counts: z
        .array(
          z.strictObject({
            flag: parameterKeySchema,
            variant: z.string().min(1).max(200).optional(),
            reason: z.enum(countedReasons),
            count: z.number().int().positive().max(1_000_000_000),
          }),
        )
        .min(1)
        .max(MAX_BATCH_COUNTS),
    })
    .refine((bucket) => Date.parse(bucket.stop) >= Date.parse(bucket.start), {
      path: ['stop'],
      message: 'must not be before start',
    }),
});
export type FlagMetricsBody = z.infer<typeof flagMetricsBodySchema>;

const numberParam = (schema: z.ZodNumber) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a number')
    .transform(Number)
    .pipe(schema);

/** `GET /environments/{env}/flags/report?since=&format=&staleDays=&dominantShare=&unusedDays=`. */
export const flagReportQuerySchema = z.strictObject({
  since: instant.optional(),
  format: z.enum(['json', 'md', 'table']).default('json'),
  staleDays: numberParam(z.number().int().min(0).max(365)).optional(),
  dominantShare: numberParam(z.number().gt(0).max(1)).optional(),
  unusedDays: numberParam(z.number().int().min(1).max(90)).optional(),
});
export type FlagReportQuery = z.infer<typeof flagReportQuerySchema>;
