import type { Catalog } from '../catalog/catalog.ts';
import type { JsonValue } from '../core/json.ts';
import type { Problem } from '../core/problem.ts';
import { rampTarget, rampWeight } from './flag-step.ts';
import type { Salvaged } from './strategy-rules.ts';

/** Each environment's flag definitions as the ramp will find them (snapshot values by key). */
export type FlagDefinitions = Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;

const at = (index: number, rest: string): string => `phases[${index}].flag${rest}`;

/**
 * The rules of flag phases (flag-step.ts): the flag is in the catalog, the phase does not also deploy
 * a percentage, and each environment's percent only rises. With `definitions` (the rollout's start,
 * which reads every HEAD), each ramped flag must also have one rollout rule with an unambiguous target,
 * and a bucket count that expresses the percent.
 */
export const flagStepRules = (
  parts: Salvaged,
  catalog: { flags?: Catalog['flags'] },
  definitions?: FlagDefinitions,
): Problem[] => {
  const problems: Problem[] = [];
  const known = new Set((catalog.flags ?? []).map((flag) => flag.key));
  const last = new Map<string, { phase: string; percent: number }>();
  for (const { index, phase } of parts.phases) {
    const step = phase.flag;
    if (!step) continue;
    if (!known.has(step.key)) {
      problems.push({
        code: 'strategy.flag-unknown',
        path: at(index, '.key'),
        message: `phase "${phase.name}" ramps "${step.key}", which is not a flag of the catalog`,
      });
    }
    if (phase.percentage !== undefined) {
      problems.push({
        code: 'strategy.flag-with-percentage',
        path: at(index, ''),
        message: `phase "${phase.name}" ramps a flag; it cannot also deploy a percentage of an AppConfig environment`,
      });
    }
    for (const environment of phase.environments) {
      const id = `${environment}\n${step.key}`;
      const before = last.get(id);
      if (before && step.percent <= before.percent) {
        problems.push({
          code: 'strategy.flag-percent-decreases',
          path: at(index, '.percent'),
          message: `phase "${phase.name}" sets ${step.key} to ${step.percent}% in ${environment}, not above the ${before.percent}% of phase "${before.phase}"; a ramp only rises`,
        });
      }
      last.set(id, { phase: phase.name, percent: step.percent });
      const values = definitions?.[environment];
      if (values === undefined || !known.has(step.key)) continue;
      const target = rampTarget(step.key, values[step.key]);
      if (!target.ok) {
        problems.push({
          code: target.code,
          path: at(index, '.key'),
          message: `${environment}: ${target.message}`,
        });
      } else if (rampWeight(step.percent, target.buckets) === undefined) {
        problems.push({
          code: 'strategy.flag-percent-granularity',
          path: at(index, '.percent'),
          message: `${environment}: flag ${step.key} buckets into ${target.buckets}; ${step.percent}% is not a whole number of buckets`,
        });
      }
    }
  }
  return problems;
};
