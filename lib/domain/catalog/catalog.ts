import { z } from 'zod';
import { strategySchema } from '../rollout/strategy.ts';
import { nameSchema, parameterKeySchema } from '../core/names.ts';
import { jsonValueSchema } from '../core/json.ts';
import { segmentSchema } from '../flags/constraint.ts';
import { attributeTypes } from '../flags/validate-constraint.ts';

const common = {
  key: parameterKeySchema,
  description: z.string().max(2000).optional(),
  sensitive: z.boolean().optional(),
  /** A literal of the parameter's type, or a `${other.key}` reference. */
  default: jsonValueSchema.optional(),
};

export const parameterSchemaSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...common,
    type: z.literal('string'),
    pattern: z.string().max(1000).optional(),
    enum: z.array(z.string()).min(1).optional(),
    minLength: z.number().int().nonnegative().optional(),
    maxLength: z.number().int().nonnegative().optional(),
  }),
  z.strictObject({
    ...common,
    type: z.literal('integer'),
    min: z.number().int().optional(),
    max: z.number().int().optional(),
  }),
  z.strictObject({
    ...common,
    type: z.literal('number'),
    min: z.number().optional(),
    max: z.number().optional(),
  }),
  z.strictObject({ ...common, type: z.literal('boolean') }),
  z.strictObject({
    ...common,
    type: z.literal('duration'),
    min: z.string().optional(),
    max: z.string().optional(),
  }),
  z.strictObject({
    ...common,
    type: z.literal('json'),
    schema: z.record(z.string(), jsonValueSchema).optional(),
  }),
]);
export type ParameterSchema = z.infer<typeof parameterSchemaSchema>;
export type ParameterType = ParameterSchema['type'];

/**
 * A feature flag, owned through its namespace like a parameter. The catalog fixes its key and type;
 * its definition (variants, rules, ...) travels in bundles and lives in environment snapshots.
 */
export const catalogFlagSchema = z.strictObject({
  key: parameterKeySchema,
  type: z.enum(['boolean', 'string', 'number', 'json']),
  description: z.string().max(2000).optional(),
});
export type CatalogFlag = z.infer<typeof catalogFlagSchema>;

export const appConfigBindingSchema = z.strictObject({
  application: z.string().min(1).max(128),
  environment: z.string().min(1).max(128),
  profile: z.string().min(1).max(128),
  deploymentStrategy: z.string().min(1).max(128),
  /** The environment's flags go to this AWS.AppConfig.FeatureFlags profile (same application). */
  flagsProfile: z.string().min(1).max(128).optional(),
  /** The environment's Convoy flag set (GET /environments/{env}/flags) goes to this freeform profile. */
  flagSetProfile: z.string().min(1).max(128).optional(),
});

export const environmentSchema = z.strictObject({
  name: nameSchema,
  description: z.string().max(2000).optional(),
  appconfig: appConfigBindingSchema.optional(),
});
export type Environment = z.infer<typeof environmentSchema>;

export const teamSchema = z.strictObject({ name: nameSchema, description: z.string().max(2000).optional() });
export type Team = z.infer<typeof teamSchema>;

export const namespaceSchema = z.strictObject({ name: nameSchema, owner: nameSchema });
export type Namespace = z.infer<typeof namespaceSchema>;

export const serviceSchema = z.strictObject({
  name: nameSchema,
  team: nameSchema,
  /** Key globs the service reads, e.g. payments.checkout.* */
  consumes: z.array(z.string().max(256)).default([]),
});
export type Service = z.infer<typeof serviceSchema>;

export const roleSchema = z.union(
  [
    z.literal('release-manager'),
    z.literal('approver'),
    z.literal('viewer'),
    z.templateLiteral(['team:', z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/)]),
  ],
  { error: 'must be release-manager, approver, viewer or team:<team name>' },
);
export type Role = z.infer<typeof roleSchema>;

export const roleMappingSchema = z.strictObject({
  /** An IAM principal (ARN) or a local name; `*` matches every authenticated principal. */
  principal: z.string().min(1).max(512),
  roles: z.array(roleSchema).min(1),
});
export type RoleMapping = z.infer<typeof roleMappingSchema>;

export const catalogSchema = z.strictObject({
  environments: z.array(environmentSchema).min(1),
  teams: z.array(teamSchema).default([]),
  namespaces: z.array(namespaceSchema).default([]),
  parameters: z.array(parameterSchemaSchema).default([]),
  services: z.array(serviceSchema).default([]),
  // Optional rather than defaulted: catalogs written before flags existed still type-check as Catalog.
  flags: z.array(catalogFlagSchema).optional(),
  /**
   * Declared context attributes and their types (`country: string`, `appVersion: semver`): with it,
   * flag constraints may name only these attributes (and targetingKey, currentTime), with operators
   * that fit their type (`flag.unknown-attribute`, `flag.attribute-type`). Without it, any attribute.
   */
  context: z.record(z.string().min(1).max(128), z.enum(attributeTypes)).optional(),
  /** Named sets of flag constraints, defined once, referenced by flag rules. */
  segments: z.record(nameSchema, segmentSchema).optional(),
  roles: z.array(roleMappingSchema).default([]),
  /** Named rollout strategies (`convoy rollout start … --strategy <name>`, CodePipeline's UserParameters). */
  strategies: z.array(strategySchema).default([]),
});
export type Catalog = z.infer<typeof catalogSchema>;
