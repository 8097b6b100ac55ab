import { z } from 'zod';
import { nameSchema } from '../core/names.ts';
import { alarmTemplateError, expandAlarmTemplate, MAX_ALARM_NAME } from './alarm-template.ts';
import { flagStepSchema } from './flag-step.ts';
import { durationMs, isoDurationSchema } from './iso-duration.ts';

/**
 * A rollout strategy as authored (issue 4 §1; the field names are the contract):
 *
 *   name: standard
 *   phases: [{ name: dev, environments: [dev], bake: PT5M }, { name: staging, …, approval: true }, …]
 *   health: { alarms: ["{env}-5xx-rate"], interval: PT1M, insufficientData: unknown,
 *             unknown: { after: 3, action: pause } }
 *   finalWatch: PT30M
 *   rollback: { automatic: true }
 *
 * The schema checks shape; `validateStrategy` adds the rules that need the catalog or several fields.
 */
export const alarmTemplateSchema = z
  .string()
  .min(1)
  .max(MAX_ALARM_NAME)
  .superRefine((template, ctx) => {
    const error = alarmTemplateError(template);
    if (error)
      ctx.addIssue({
        code: 'custom',
        message: `alarm "${template}" ${error}`,
        params: { rule: 'alarm-template' },
      });
  });

export const phaseSchema = z.strictObject({
  name: nameSchema,
  environments: z.array(nameSchema).min(1, 'a phase deploys to at least one environment'),
  /** How long the phase must stay healthy before the next one starts. */
  bake: isoDurationSchema,
  /** A manual gate after the bake: the next phase waits for an approver. */
  approval: z.boolean().optional(),
  /** Deploy to this share of an AppConfig-bound environment (1-100); the phase names one environment. */
  percentage: z.number().int().min(1).max(100).optional(),
  /** Ramp this flag to `percent` in the phase's environments instead of deploying the bundle (flag-step.ts). */
  flag: flagStepSchema.optional(),
});
export type Phase = z.infer<typeof phaseSchema>;

export const insufficientDataPolicies = ['unknown', 'unhealthy', 'ignore'] as const;
export const unknownActions = ['pause', 'rollback'] as const;

export const healthPolicySchema = z.strictObject({
  /** CloudWatch alarm names; `{env}` expands to each environment of the phase. */
  alarms: z.array(alarmTemplateSchema).min(1, 'name at least one health alarm; a rollout never bakes blind'),
  interval: isoDurationSchema.default('PT1M'),
  /** What INSUFFICIENT_DATA means: an unknown verdict, an unhealthy one, or OK. */
  insufficientData: z.enum(insufficientDataPolicies).default('unknown'),
  /** Monitoring unavailable (or unknown) `after` checks in a row → `action`. Never silently continue. */
  unknown: z
    .strictObject({ after: z.number().int().min(1).max(1000), action: z.enum(unknownActions) })
    .default({ after: 3, action: 'pause' }),
});
export type HealthPolicy = z.infer<typeof healthPolicySchema>;

export const strategySchema = z.strictObject({
  name: nameSchema,
  phases: z
    .array(phaseSchema)
    .max(50)
    .superRefine((phases, ctx) => {
      if (phases.length === 0) {
        ctx.addIssue({
          code: 'custom',
          message: 'a strategy needs at least one phase',
          params: { rule: 'no-phases' },
        });
      }
    }),
  health: healthPolicySchema,
  /** Keep watching the health alarms this long after the last phase baked. */
  finalWatch: isoDurationSchema.optional(),
  /** How long an approval gate waits for a decision before the rollout rolls back. */
  approvalTimeout: isoDurationSchema.default('PT24H'),
  rollback: z.strictObject({ automatic: z.boolean().default(true) }).default({ automatic: true }),
});
export type Strategy = z.infer<typeof strategySchema>;
export type StrategyInput = z.input<typeof strategySchema>;

/** The health alarm names of `strategy` for one environment. */
export const expandAlarms = (strategy: Pick<Strategy, 'health'>, environment: string): string[] =>
  strategy.health.alarms.map((template) => expandAlarmTemplate(template, environment));

/** Every alarm a phase watches: each template for each of its environments, without repeats. */
export const phaseAlarms = (
  strategy: Pick<Strategy, 'health'>,
  phase: Pick<Phase, 'environments'>,
): string[] => [...new Set(phase.environments.flatMap((environment) => expandAlarms(strategy, environment)))];

/** Bake, interval and final watch of a validated strategy, in milliseconds. */
export interface StrategyTimings {
  bakeMs: number[];
  intervalMs: number;
  finalWatchMs: number;
  /** How long an approval gate stays open before the rollout rolls back. */
  approvalTimeoutMs: number;
}

export const strategyTimings = (strategy: Strategy): StrategyTimings => ({
  bakeMs: strategy.phases.map((phase) => durationMs(phase.bake)),
  intervalMs: durationMs(strategy.health.interval),
  finalWatchMs: strategy.finalWatch === undefined ? 0 : durationMs(strategy.finalWatch),
  approvalTimeoutMs: durationMs(strategy.approvalTimeout),
});
