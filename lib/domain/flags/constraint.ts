import { z } from 'zod';

/** Unleash's constraint operators, with its semantics (see operators/). */
export const constraintOperators = [
  'IN',
  'NOT_IN',
  'STR_STARTS_WITH',
  'STR_ENDS_WITH',
  'STR_CONTAINS',
  'NUM_EQ',
  'NUM_GT',
  'NUM_GTE',
  'NUM_LT',
  'NUM_LTE',
  'DATE_AFTER',
  'DATE_BEFORE',
  'SEMVER_EQ',
  'SEMVER_GT',
  'SEMVER_GTE',
  'SEMVER_LT',
  'SEMVER_LTE',
  'REGEX',
  'IN_CIDR',
] as const;
export const constraintOperatorSchema = z.enum(constraintOperators);
export type ConstraintOperator = z.infer<typeof constraintOperatorSchema>;

/** Operators that compare with a list (`values`); the others compare with one `value`, as in Unleash. */
export const listOperators: ReadonlySet<ConstraintOperator> = new Set([
  'IN',
  'NOT_IN',
  'STR_STARTS_WITH',
  'STR_ENDS_WITH',
  'STR_CONTAINS',
  'IN_CIDR',
]);

/** One condition on one context attribute; `inverted` negates the outcome, absent attribute included. */
export const constraintSchema = z
  .object({
    attribute: z.string().min(1),
    operator: constraintOperatorSchema,
    values: z.array(z.string()).optional(),
    value: z.string().optional(),
    inverted: z.boolean().optional(),
    caseInsensitive: z.boolean().optional(),
  })
  .strict();
export type Constraint = z.infer<typeof constraintSchema>;

/** A named set of constraints (ANDed), defined once in the catalog and referenced by rules. */
export const segmentSchema = z
  .object({
    description: z.string().optional(),
    constraints: z.array(constraintSchema),
  })
  .strict();
export type Segment = z.infer<typeof segmentSchema>;
