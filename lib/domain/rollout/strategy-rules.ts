import type { Catalog } from '../catalog/catalog.ts';
import type { Problem } from '../core/problem.ts';
import { closest } from '../core/suggest.ts';
import { ENV_PLACEHOLDER, MAX_ALARM_NAME } from './alarm-template.ts';
import { durationMs } from './iso-duration.ts';
import { phaseAlarms } from './strategy.ts';
import type { HealthPolicy, Phase } from './strategy.ts';

/** DescribeAlarms takes at most 100 alarm names per call; one health check is one call. */
export const MAX_ALARMS_PER_PHASE = 100;

export type CatalogView = Pick<Catalog, 'environments'> & { flags?: Catalog['flags'] };

/** The parts of a strategy document that are valid on their own, so every rule still gets a say. */
export interface Salvaged {
  phases: Array<{ index: number; phase: Phase }>;
  health?: HealthPolicy;
  intervalMs: number;
  finalWatchMs?: number;
}

const didYouMean = (input: string, candidates: Iterable<string>): string => {
  const suggestion = closest(input, candidates);
  return suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
};

const at = (index: number, rest = ''): string => `phases[${index}]${rest}`;

export const environmentRules = (parts: Salvaged, catalog: CatalogView): Problem[] => {
  const problems: Problem[] = [];
  const order = new Map(catalog.environments.map((env, position) => [env.name, position]));
  const promotion = catalog.environments.map((env) => env.name).join(' → ');
  const seen = new Map<string, { phase: string; percentage: number | undefined }>();
  let furthest: { position: number; environment: string } | undefined;
  for (const { index, phase } of parts.phases) {
    let phaseFurthest = furthest;
    phase.environments.forEach((environment, e) => {
      const path = at(index, `.environments[${e}]`);
      const position = order.get(environment);
      if (position === undefined) {
        problems.push({
          code: 'strategy.unknown-environment',
          path,
          message: `unknown environment "${environment}"${didYouMean(environment, order.keys())}; the catalog has ${promotion}`,
        });
        return;
      }
      const before = seen.get(environment);
      const share = phase.percentage ?? 100;
      // A flag phase deploys nothing: ramping a flag where the bundle went is its purpose (flag-step-rules.ts).
      if (phase.flag) return;
      if (before && (before.percentage === undefined || share <= before.percentage)) {
        problems.push({
          code: 'strategy.repeated-environment',
          path,
          message: `environment "${environment}" is already deployed by phase "${before.phase}"; an environment may appear again only to raise its percentage`,
        });
      }
      seen.set(environment, { phase: phase.name, percentage: phase.percentage });
      if (furthest && position < furthest.position) {
        problems.push({
          code: 'strategy.out-of-order',
          path,
          severity: 'warning',
          message: `phase "${phase.name}" deploys to "${environment}" after an earlier phase deployed to "${furthest.environment}", against the promotion order ${promotion}`,
        });
      }
      if (!phaseFurthest || position > phaseFurthest.position) phaseFurthest = { position, environment };
    });
    furthest = phaseFurthest;
  }
  return problems;
};

export const percentageRules = (parts: Salvaged, catalog: CatalogView): Problem[] =>
  parts.phases.flatMap(({ index, phase }): Problem[] => {
    if (phase.percentage === undefined) return [];
    if (phase.environments.length !== 1) {
      return [
        {
          code: 'strategy.percentage-single-environment',
          path: at(index, '.percentage'),
          message: `phase "${phase.name}" deploys a percentage, so it must name exactly one environment`,
        },
      ];
    }
    const [name] = phase.environments;
    const env = catalog.environments.find((candidate) => candidate.name === name);
    if (!env || env.appconfig) return [];
    return [
      {
        code: 'strategy.percentage-needs-appconfig',
        path: at(index, '.percentage'),
        message: `phase "${phase.name}" deploys a percentage of "${String(name)}", which is not bound to AppConfig; only AppConfig serves a share of clients`,
      },
    ];
  });

export const phaseRules = (parts: Salvaged): Problem[] => {
  const problems: Problem[] = [];
  const names = new Map<string, number>();
  const watched = new Set<string>();
  for (const { index, phase } of parts.phases) {
    const first = names.get(phase.name);
    if (first === undefined) names.set(phase.name, index);
    else
      problems.push({
        code: 'strategy.duplicate-phase',
        path: at(index, '.name'),
        message: `phase name "${phase.name}" is already used by phases[${first}]`,
      });
    const bakeMs = durationMs(phase.bake);
    if (bakeMs < parts.intervalMs) {
      problems.push({
        code: 'strategy.bake-shorter-than-interval',
        path: at(index, '.bake'),
        message: `phase "${phase.name}" bakes ${phase.bake}, shorter than the health check interval; it would advance before its first check`,
      });
    }
    // A phase watches every environment deployed so far, its own included.
    for (const environment of phase.environments) watched.add(environment);
    if (parts.health) {
      const count = phaseAlarms({ health: parts.health }, { environments: [...watched] }).length;
      if (count > MAX_ALARMS_PER_PHASE) {
        problems.push({
          code: 'strategy.too-many-alarms',
          path: at(index),
          message: `phase "${phase.name}" watches ${count} alarms (every environment deployed so far); one DescribeAlarms call reads at most ${MAX_ALARMS_PER_PHASE}`,
        });
      }
    }
  }
  return problems;
};

export const healthRules = (parts: Salvaged): Problem[] => {
  const problems: Problem[] = [];
  if (parts.intervalMs <= 0 && parts.health) {
    problems.push({
      code: 'strategy.interval-too-short',
      path: 'health.interval',
      message: 'the health check interval must be longer than zero',
    });
  }
  if (parts.finalWatchMs !== undefined && parts.finalWatchMs < parts.intervalMs) {
    problems.push({
      code: 'strategy.final-watch-shorter-than-interval',
      path: 'finalWatch',
      message: 'the final watch is shorter than the health check interval, so it would never check',
    });
  }
  const longest = Math.max(
    0,
    ...parts.phases.flatMap(({ phase }) => phase.environments.map((env) => env.length)),
  );
  parts.health?.alarms.forEach((template, k) => {
    const length = template.split(ENV_PLACEHOLDER).join('x'.repeat(longest)).length;
    if (length > MAX_ALARM_NAME) {
      problems.push({
        code: 'strategy.alarm-template',
        path: `health.alarms[${k}]`,
        message: `alarm "${template}" expands to ${length} characters; CloudWatch allows ${MAX_ALARM_NAME}`,
      });
    }
  });
  return problems;
};
