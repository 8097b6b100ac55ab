import { z } from 'zod';
import { nameSchema } from '../core/names.ts';
import { inFlightPolicies } from '../freeze/freeze-window.ts';
import { alarmStates } from './events.ts';
import { isoDurationSchema } from './iso-duration.ts';

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
export type MonitoringOutage = z.infer<typeof monitoringOutageSchema>;
