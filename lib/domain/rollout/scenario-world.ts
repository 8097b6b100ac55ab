import type { InFlightPolicy } from '../freeze/freeze-window.ts';
import type { AlarmReading } from './events.ts';
import { globMatch } from '../core/glob.ts';
import { durationMs } from './iso-duration.ts';
import { holdsAt } from './scenario.ts';
import type { Scenario, ScriptedApproval, ScriptedFreeze } from './scenario-schema.ts';

/**
 * What the scripted world looks like at a point of the simulator's virtual clock. All offsets are
 * milliseconds since the start of the simulated rollout; the scenario must have been validated.
 */

/**
 * The alarm states DescribeAlarms would return for `alarmNames` at `offsetMs`, or 'unavailable'
 * while a monitoring outage is scripted. Unscripted alarms are OK; when several entries hold, the
 * later one wins; an alarm scripted MISSING is left out of the answer.
 */
export const alarmStatesAt = (
  scenario: Scenario,
  alarmNames: readonly string[],
  offsetMs: number,
): AlarmReading[] | 'unavailable' => {
  if (scenario.monitoring.some((outage) => outage.unavailable && holdsAt(outage, offsetMs)))
    return 'unavailable';
  const scripted = new Map<string, Scenario['alarms'][number]['state']>();
  for (const entry of scenario.alarms) if (holdsAt(entry, offsetMs)) scripted.set(entry.alarm, entry.state);
  return alarmNames.flatMap((name): AlarmReading[] => {
    const state = scripted.get(name) ?? 'OK';
    return state === 'MISSING' ? [] : [{ name, state }];
  });
};

export interface ScenarioFreezeStatus {
  frozen: boolean;
  /** The strictest level of the windows that hold (hard beats soft). */
  level: 'hard' | 'soft' | null;
  /** The strictest in-flight policy of those windows (pause, then finish-phase, then continue). */
  inFlight: InFlightPolicy | null;
  windows: Array<ScriptedFreeze & { index: number; id: string }>;
}

const inFlightOrder: readonly InFlightPolicy[] = ['pause', 'finish-phase', 'continue'];

/** The scripted freezes over `environment` at `offsetMs`. */
export const freezesAt = (
  scenario: Scenario,
  environment: string,
  offsetMs: number,
): ScenarioFreezeStatus => {
  const windows = scenario.freezes.flatMap((freeze, index) =>
    holdsAt(freeze, offsetMs) && freeze.environments.some((glob) => globMatch(glob, environment, ''))
      ? [{ ...freeze, index, id: freeze.name ?? `scenario-freeze-${index}` }]
      : [],
  );
  if (windows.length === 0) return { frozen: false, level: null, inFlight: null, windows };
  const level = windows.some((w) => w.level === 'hard') ? 'hard' : 'soft';
  const inFlight = windows
    .map((w) => w.inFlight)
    .reduce((a, b) => (inFlightOrder.indexOf(a) <= inFlightOrder.indexOf(b) ? a : b));
  return { frozen: true, level, inFlight, windows };
};

/** The scripted decision on `phase`'s approval gate, with its offset; undefined means nobody answers. */
export const approvalFor = (
  scenario: Scenario,
  phase: string,
): (ScriptedApproval & { atMs: number }) | undefined => {
  const approval = scenario.approvals.find((entry) => entry.phase === phase);
  return approval && { ...approval, atMs: durationMs(approval.at) };
};
