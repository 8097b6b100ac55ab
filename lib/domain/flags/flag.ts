import { z } from 'zod';
import { jsonValueSchema } from '../core/json.ts';
import { nameSchema } from '../core/names.ts';
import type { JsonValue } from '../core/json.ts';
import { constraintSchema, segmentSchema } from './constraint.ts';

const variantNameSchema = z.string().min(1);

/**
 * How a context falls into a bucket (bucket.ts): the first present `stickiness` attribute (default
 * `targetingKey`), hashed with `groupId` (default the flag's key) and `seed` (default 0) into one of
 * `buckets` (default 1,000: weights in thousandths). Imported Unleash flags keep Unleash's seeds and
 * bucket counts so that they bucket identically.
 */
const bucketingShape = {
  stickiness: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  groupId: z.string().optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  buckets: z.number().int().positive().optional(),
};

export const splitEntrySchema = z
  .object({ variant: variantNameSchema, weight: z.number().int().nonnegative() })
  .strict();
export type SplitEntry = z.infer<typeof splitEntrySchema>;

/** Serve variants by share: weights in buckets (thousandths by default) summing to the bucket count. */
export const rolloutSchema = z
  .object({ ...bucketingShape, split: z.array(splitEntrySchema).min(1) })
  .strict();
export type Rollout = z.infer<typeof rolloutSchema>;

/** Match only this share of contexts (Unleash's gradual rollout): buckets below `weight` match. */
export const percentageSchema = z
  .object({ ...bucketingShape, weight: z.number().int().nonnegative() })
  .strict();
export type Percentage = z.infer<typeof percentageSchema>;
export type Bucketing = Omit<Rollout, 'split'>;

/** One targeting rule: every constraint and segment holds (and the percentage, if any); serves `variant` or `rollout`. */
export const ruleSchema = z
  .object({
    description: z.string().optional(),
    constraints: z.array(constraintSchema).default([]),
    segments: z.array(z.string().min(1)).default([]),
    percentage: percentageSchema.optional(),
    variant: variantNameSchema.optional(),
    rollout: rolloutSchema.optional(),
  })
  .strict();
export type Rule = z.infer<typeof ruleSchema>;

/** The flag is served normally only while `flag` evaluates (same context) to one of `variants`. */
export const prerequisiteSchema = z
  .object({ flag: z.string().min(1), variants: z.array(variantNameSchema).min(1) })
  .strict();
export type Prerequisite = z.infer<typeof prerequisiteSchema>;

/**
 * A deployment requirement: `service` must run a version inside `range` (semver) in the environment.
 * With `variant`, it holds only for serving that variant; without, for the whole flag. Unmet, the flag
 * (or that variant) serves `offVariant` with reason REQUIREMENT_UNMET (requirements.ts).
 */
export const flagRequirementSchema = z
  .object({
    service: nameSchema,
    range: z.string().min(1).max(200),
    variant: variantNameSchema.optional(),
  })
  .strict();
export type FlagRequirement = z.infer<typeof flagRequirementSchema>;

const common = {
  description: z.string().optional(),
  // Optional rather than defaulted: flags without requirements keep their stored shape (and ETags).
  requires: z.array(flagRequirementSchema).optional(),
  enabled: z.boolean(),
  killed: z.boolean().default(false),
  rules: z.array(ruleSchema).default([]),
  prerequisites: z.array(prerequisiteSchema).default([]),
};

const variantsOf = <T extends z.ZodType>(value: T) => z.record(variantNameSchema, value);

export const flagDefinitionSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('boolean'),
      variants: z
        .object({ on: z.literal(true), off: z.literal(false) })
        .strict()
        .default({ on: true, off: false }),
      defaultVariant: variantNameSchema.default('off'),
      offVariant: variantNameSchema.default('off'),
      ...common,
    })
    .strict(),
  z
    .object({
      type: z.literal('string'),
      variants: variantsOf(z.string()),
      defaultVariant: variantNameSchema,
      offVariant: variantNameSchema,
      ...common,
    })
    .strict(),
  z
    .object({
      type: z.literal('number'),
      variants: variantsOf(z.number()),
      defaultVariant: variantNameSchema,
      offVariant: variantNameSchema,
      ...common,
    })
    .strict(),
  z
    .object({
      type: z.literal('json'),
      variants: variantsOf(jsonValueSchema),
      defaultVariant: variantNameSchema,
      offVariant: variantNameSchema,
      ...common,
    })
    .strict(),
]);
export type FlagDefinition = z.infer<typeof flagDefinitionSchema>;
export type FlagType = FlagDefinition['type'];
/** A variant's value: boolean, string, number or any JSON, by the flag's type. */
export type FlagValue = JsonValue;

/** A flag with its catalog key (`payments.checkout.newFlow`). */
export type Flag = FlagDefinition & { key: string };

/** An environment's flags and the segments they reference, by key and by name. */
export const flagSetSchema = z
  .object({
    flags: z.record(z.string().min(1), flagDefinitionSchema),
    segments: z.record(z.string().min(1), segmentSchema).default({}),
  })
  .strict();
export type FlagSet = z.infer<typeof flagSetSchema>;
