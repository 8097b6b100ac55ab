import type { z } from 'zod';
import type { Problem } from '../core/problem.ts';
import { hasErrors } from '../core/problem.ts';
import { durationMs } from './iso-duration.ts';
import { parseWithRules } from './schema-problems.ts';
import { scenarioRules, type SalvagedScenario } from './scenario-rules.ts';
import {
  monitoringOutageSchema,
  scenarioSchema,
  scriptedAlarmSchema,
  scriptedApprovalSchema,
  scriptedFreezeSchema,
  type Scenario,
} from './scenario-schema.ts';
import type { Strategy } from './strategy.ts';

export interface ScenarioValidation {
  ok: boolean;
  scenario?: Scenario;
  problems: Problem[];
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
