import { z } from 'zod';
import { nameSchema } from '../core/names.ts';
import type { Problem } from '../core/problem.ts';
import { hasErrors } from '../core/problem.ts';
import { inFlightPolicies } from '../freeze/freeze-window.ts';
import { alarmStates } from './events.ts';
import { durationMs, isoDurationSchema } from './iso-duration.ts';
import { parseWithRules } from './schema-problems.ts';
import { scenarioRules } from './scenario-rules.ts';
import type { Strategy } from './strategy.ts';

/**
 * The simulator's scripted world (issue 4 §4). Every time is an ISO 8601 offset from the start of the
 * simulated rollout; an interval holds from `from` (inclusive) to `to` (exclusive, or the end of time).
 *
 *   alarms:     [{ alarm: prod-eu-5xx-rate, state: ALARM, from: PT50M, to: PT1H10M }]
 *   monitoring: [{ unavailable: true, from: PT2H, to: PT2H10M }]
 *   approvals:  [{ phase: staging, at: PT25M, decision: approve, by: olivia }]
 *   freezes:    [{ environments: [prod-*], from: PT3H, to: PT5H, level: hard }]
 */
const interval = { from: isoDurationSchema, to: isoDurationSchema.optional() };

/** `MISSING` scripts an alarm that DescribeAlarms does not return (deleted or renamed). */
export const scriptedAlarmStates = [...alarmStates, 'MISSING'] as const;

export const scriptedAlarmSchema = z.strictObject({
  alarm: z.string().min(1).max(255),
  state: z.enum(scriptedAlarmStates),
  ...interval,
});
export const monitoringOutageSchema = z.strictObject({ unavailable: z.boolean().default(true), ...interval });
export const scriptedApprovalSchema = z.strictObject({
  phase: nameSchema,
  at: isoDurationSchema,
  decision: z.enum(['approve', 'reject']),
  by: z.string().min(1).max(512),
  reason: z.string().max(2000).optional(),
});
export const scriptedFreezeSchema = z.strictObject({
  name: z.string().min(1).max(128).optional(),
  /** Environment globs: `prod-*`, `*`, `staging`. */
  environments: z.array(z.string().min(1).max(128)).min(1),
  level: z.enum(['hard', 'soft']),
  inFlight: z.enum(inFlightPolicies).default('pause'),
  ...interval,
});

export const scenarioSchema = z.strictObject({
  name: z.string().max(128).optional(),
  description: z.string().max(4000).optional(),
  alarms: z.array(scriptedAlarmSchema).default([]),
  monitoring: z.array(monitoringOutageSchema).default([]),
  approvals: z.array(scriptedApprovalSchema).default([]),
  freezes: z.array(scriptedFreezeSchema).default([]),
});
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScriptedAlarm = z.infer<typeof scriptedAlarmSchema>;
export type ScriptedFreeze = z.infer<typeof scriptedFreezeSchema>;
export type ScriptedApproval = z.infer<typeof scriptedApprovalSchema>;

export interface ScenarioValidation {
  ok: boolean;
  scenario?: Scenario;
  problems: Problem[];
}

/** Entries of one list that are valid on their own, with their index, so every rule gets a say. */
export interface SalvagedScenario {
  alarms: Array<{ index: number; entry: ScriptedAlarm }>;
  monitoring: Array<{ index: number; entry: z.infer<typeof monitoringOutageSchema> }>;
  approvals: Array<{ index: number; entry: ScriptedApproval }>;
  freezes: Array<{ index: number; entry: ScriptedFreeze }>;
}

const entries = <T>(value: unknown, schema: z.ZodType<T>): Array<{ index: number; entry: T }> =>
  (Array.isArray(value) ? (value as unknown[]) : []).flatMap((raw, index) => {
    const parsed = schema.safeParse(raw);
    return parsed.success ? [{ index, entry: parsed.data }] : [];
  });

const salvage = (input: unknown): SalvagedScenario => {
  const doc = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  return {
    alarms: entries(doc.alarms, scriptedAlarmSchema),
    monitoring: entries(doc.monitoring, monitoringOutageSchema),
    approvals: entries(doc.approvals, scriptedApprovalSchema),
    freezes: entries(doc.freezes, scriptedFreezeSchema),
  };
};

/**
 * Validate a scenario, reporting every problem at once. With a strategy, approvals must name its
 * phases; scripted alarms no phase watches and freezes that match none of its environments are warnings.
 */
export const validateScenario = (
  input: unknown,
  context: { strategy?: Strategy } = {},
): ScenarioValidation => {
  const parsed = parseWithRules('scenario', scenarioSchema, input);
  const problems = [...parsed.problems, ...scenarioRules(salvage(input), context.strategy)];
  if (!parsed.ok || hasErrors(problems)) return { ok: false, problems };
  return { ok: true, scenario: parsed.value, problems };
};

/** Whether [from, to) of a validated entry holds at `offsetMs`. */
export const holdsAt = (entry: { from: string; to?: string | undefined }, offsetMs: number): boolean =>
  offsetMs >= durationMs(entry.from) && (entry.to === undefined || offsetMs < durationMs(entry.to));
