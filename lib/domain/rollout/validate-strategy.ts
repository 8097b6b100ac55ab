import type { Problem } from '../core/problem.ts';
import { hasErrors } from '../core/problem.ts';
import { flagStepRules, type FlagDefinitions } from './flag-step-rules.ts';
import { parseIsoDuration } from './iso-duration.ts';
import { parseWithRules } from './schema-problems.ts';
import { healthPolicySchema, phaseSchema, strategySchema } from './strategy.ts';
import type { Strategy } from './strategy.ts';
import { environmentRules, healthRules, percentageRules, phaseRules } from './strategy-rules.ts';
import type { CatalogView, Salvaged } from './strategy-rules.ts';

export interface StrategyValidation {
  ok: boolean;
  strategy?: Strategy;
  problems: Problem[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const msOf = (value: unknown): number | undefined => {
  if (typeof value !== 'string') return undefined;
  const parsed = parseIsoDuration(value);
  return parsed.ok ? parsed.ms : undefined;
};

/** The parts of an invalid document that are valid on their own, so every rule still gets a say. */
const salvage = (input: unknown): Salvaged => {
  const doc = isRecord(input) ? input : {};
  const phases = (Array.isArray(doc.phases) ? (doc.phases as unknown[]) : []).flatMap((raw, index) => {
    const parsed = phaseSchema.safeParse(raw);
    return parsed.success ? [{ index, phase: parsed.data }] : [];
  });
  const health = healthPolicySchema.safeParse(doc.health);
  const rawInterval = isRecord(doc.health) ? (doc.health.interval ?? 'PT1M') : 'PT1M';
  const finalWatchMs = msOf(doc.finalWatch);
  return {
    phases,
    ...(health.success ? { health: health.data } : {}),
    intervalMs: msOf(rawInterval) ?? 0,
    ...(finalWatchMs === undefined ? {} : { finalWatchMs }),
  };
};

/**
 * Validate a strategy document against the catalog, reporting every problem at once. Phases out of
 * promotion order are a warning: `ok` stays true and the strategy is returned.
 */
export const validateStrategy = (
  input: unknown,
  catalog: CatalogView,
  /** Each environment's flag definitions, when known (a rollout's start): flag phases are checked against them. */
  flags?: FlagDefinitions,
): StrategyValidation => {
  const parsed = parseWithRules('strategy', strategySchema, input);
  const parts = salvage(input);
  const problems = [
    ...parsed.problems,
    ...environmentRules(parts, catalog),
    ...percentageRules(parts, catalog),
    ...phaseRules(parts),
    ...healthRules(parts),
    ...flagStepRules(parts, catalog, flags),
  ];
  if (!parsed.ok || hasErrors(problems)) return { ok: false, problems };
  return { ok: true, strategy: parsed.value, problems };
};
