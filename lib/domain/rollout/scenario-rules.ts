import type { Problem } from '../core/problem.ts';
import { globMatch } from '../core/glob.ts';
import { closest } from '../core/suggest.ts';
import { durationMs } from './iso-duration.ts';
import type { MonitoringOutage, ScriptedAlarm, ScriptedApproval, ScriptedFreeze } from './scenario-schema.ts';
import { phaseAlarms } from './strategy.ts';
import type { Strategy } from './strategy.ts';

/** Entries of one list that are valid on their own, with their index, so every rule gets a say. */
export interface SalvagedScenario {
  alarms: Array<{ index: number; entry: ScriptedAlarm }>;
  monitoring: Array<{ index: number; entry: MonitoringOutage }>;
  approvals: Array<{ index: number; entry: ScriptedApproval }>;
  freezes: Array<{ index: number; entry: ScriptedFreeze }>;
}

type Timed = { from: string; to?: string | undefined };

const intervalRules = (list: string, items: Array<{ index: number; entry: Timed }>): Problem[] =>
  items.flatMap(({ index, entry }): Problem[] =>
    entry.to !== undefined && durationMs(entry.to) <= durationMs(entry.from)
      ? [
          {
            code: 'scenario.empty-interval',
            path: `${list}[${index}].to`,
            message: `"to" (${entry.to}) must be after "from" (${entry.from})`,
          },
        ]
      : [],
  );

const overlaps = (a: Timed, b: Timed): boolean => {
  const end = (t: Timed): number => (t.to === undefined ? Infinity : durationMs(t.to));
  return durationMs(a.from) < end(b) && durationMs(b.from) < end(a);
};

const alarmOverlapRules = (parts: SalvagedScenario): Problem[] =>
  parts.alarms.flatMap(({ index, entry }, position): Problem[] => {
    const earlier = parts.alarms
      .slice(0, position)
      .find((other) => other.entry.alarm === entry.alarm && overlaps(other.entry, entry));
    if (!earlier) return [];
    return [
      {
        code: 'scenario.overlap',
        path: `alarms[${index}]`,
        severity: 'warning',
        message: `alarm "${entry.alarm}" is also scripted by alarms[${earlier.index}] at the same time; the later entry wins`,
      },
    ];
  });

const approvalRules = (parts: SalvagedScenario, strategy: Strategy | undefined): Problem[] => {
  const seen = new Map<string, number>();
  return parts.approvals.flatMap(({ index, entry }): Problem[] => {
    const path = `approvals[${index}].phase`;
    const first = seen.get(entry.phase);
    if (first !== undefined) {
      return [
        {
          code: 'scenario.duplicate-approval',
          path,
          message: `phase "${entry.phase}" is already decided by approvals[${first}]`,
        },
      ];
    }
    seen.set(entry.phase, index);
    if (!strategy) return [];
    const phase = strategy.phases.find((p) => p.name === entry.phase);
    if (!phase) {
      const names = strategy.phases.map((p) => p.name);
      const suggestion = closest(entry.phase, names);
      const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
      return [
        {
          code: 'scenario.unknown-phase',
          path,
          message: `strategy "${strategy.name}" has no phase "${entry.phase}"${hint}; its phases are ${names.join(', ')}`,
        },
      ];
    }
    if (phase.approval) return [];
    return [
      {
        code: 'scenario.approval-without-gate',
        path,
        severity: 'warning',
        message: `phase "${entry.phase}" has no approval gate, so this approval is never asked for`,
      },
    ];
  });
};

const strategyRules = (parts: SalvagedScenario, strategy: Strategy): Problem[] => {
  const watched = new Set(strategy.phases.flatMap((phase) => phaseAlarms(strategy, phase)));
  const environments = strategy.phases.flatMap((phase) => phase.environments);
  const alarms = parts.alarms.flatMap(({ index, entry }): Problem[] =>
    watched.has(entry.alarm)
      ? []
      : [
          {
            code: 'scenario.unknown-alarm',
            path: `alarms[${index}].alarm`,
            severity: 'warning',
            message: `no phase of strategy "${strategy.name}" watches alarm "${entry.alarm}"`,
          },
        ],
  );
  const freezes = parts.freezes.flatMap(({ index, entry }): Problem[] =>
    entry.environments.some((glob) => environments.some((env) => globMatch(glob, env, '')))
      ? []
      : [
          {
            code: 'scenario.freeze-matches-nothing',
            path: `freezes[${index}].environments`,
            severity: 'warning',
            message: `freeze matches none of the strategy's environments (${environments.join(', ')})`,
          },
        ],
  );
  return [...alarms, ...freezes];
};

export const scenarioRules = (parts: SalvagedScenario, strategy: Strategy | undefined): Problem[] => [
  ...intervalRules('alarms', parts.alarms),
  ...intervalRules('monitoring', parts.monitoring),
  ...intervalRules('freezes', parts.freezes),
  ...alarmOverlapRules(parts),
  ...approvalRules(parts, strategy),
  ...(strategy ? strategyRules(parts, strategy) : []),
];
