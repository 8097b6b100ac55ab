import { describeEvent } from './describe-event.ts';
import type { RolloutEvent, RolloutEventType } from './events.ts';
import { formatIsoDuration, formatOffset } from './iso-duration.ts';
import { reduceRollout } from './reduce.ts';
import type { Anomaly, RolloutStatus } from './state.ts';

export interface TimelineEntry {
  at: string;
  /** Since the start of the simulation, `+HH:MM:SS`. */
  offset: string;
  event: RolloutEventType;
  phase: string | null;
  environment: string | null;
  detail: string;
}

/** How long an environment ran the new configuration. */
export interface Exposure {
  environment: string;
  phases: string[];
  from: string;
  to: string;
  fromOffset: string;
  toOffset: string;
  durationMs: number;
  /** True when a rollback ended the exposure; false when it lasted to the end of the simulation. */
  rolledBack: boolean;
  /**
   * Flag phases (flag-step.ts): the ramped flag's share over time in this environment, one entry per
   * step, and `percent: null` when the rollback restored the definition it had before the rollout.
   */
  flags?: FlagExposure[];
}

export interface FlagExposure {
  key: string;
  percent: number | null;
  at: string;
  offset: string;
}

export interface SimulationReport {
  outcome: RolloutStatus;
  reason: string | null;
  startedAt: string;
  endedAt: string;
  timeline: TimelineEntry[];
  exposure: Exposure[];
  anomalies: Anomaly[];
}

/** Events that act on the preceding health check: its timeline line says `→ action`. */
const consequences: Partial<Record<RolloutEventType, string>> = {
  RollbackStarted: 'rollback',
  Paused: 'pause',
  PhaseBaked: 'advance',
};

const phaseOf = (event: RolloutEvent): string | undefined => ('phase' in event ? event.phase : undefined);
const environmentOf = (event: RolloutEvent): string | null =>
  'environment' in event ? event.environment : null;

/**
 * The outcome, readable timeline and exposure of a simulated rollout. Health checks appear when their
 * verdict changes or something follows from them (pass `allChecks` for every one); events the reducer
 * ignored appear with the reason. Exposure runs from an environment's first deployment until it was
 * rolled back, or the end of the simulation.
 */
export const simulationReport = (
  events: readonly RolloutEvent[],
  startedAt: string,
  options: { allChecks?: boolean } = {},
): SimulationReport => {
  const start = Date.parse(startedAt);
  const offsetOf = (at: string): number => Date.parse(at) - start;
  const timeline: TimelineEntry[] = [];
  const exposed = new Map<
    string,
    { phases: string[]; from: string; to: string | null; flags: FlagExposure[] }
  >();
  let previousVerdict: string | null = null;
  let pendingCheck: { entry: TimelineEntry; keep: boolean } | null = null;
  const flush = (consequence?: string): void => {
    if (pendingCheck && (pendingCheck.keep || consequence)) {
      if (consequence) pendingCheck.entry.detail += ` → ${consequence}`;
      timeline.push(pendingCheck.entry);
    }
    pendingCheck = null;
  };

  const state = reduceRollout(events, undefined, (event, ignored, current) => {
    const entry: TimelineEntry = {
      at: event.at,
      offset: formatOffset(offsetOf(event.at)),
      event: event.type,
      phase: phaseOf(event) ?? current.currentPhase,
      environment: environmentOf(event),
      detail: describeEvent(event) + (ignored === undefined ? '' : ` (ignored: ${ignored})`),
    };
    if (event.type === 'HealthChecked' && ignored === undefined) {
      flush();
      pendingCheck = { entry, keep: options.allChecks === true || event.verdict !== previousVerdict };
      previousVerdict = event.verdict;
      return;
    }
    const operator = event.type === 'Paused' && event.by !== undefined;
    flush(ignored === undefined && !operator ? consequences[event.type] : undefined);
    timeline.push(entry);
    if (ignored !== undefined) return;
    if (event.type === 'PhaseStarted') previousVerdict = null;
    if (event.type === 'PhaseDeployed') {
      const seen = exposed.get(event.environment);
      if (seen) seen.phases.push(event.phase);
      else exposed.set(event.environment, { phases: [event.phase], from: event.at, to: null, flags: [] });
      const flag = current.strategy?.phases.find((phase) => phase.name === event.phase)?.flag;
      const step = { at: event.at, offset: formatOffset(offsetOf(event.at)) };
      if (flag) exposed.get(event.environment)?.flags.push({ key: flag.key, percent: flag.percent, ...step });
    }
    if (event.type === 'PhaseRolledBack') {
      const seen = exposed.get(event.environment);
      if (seen) seen.to = event.at;
      const step = { at: event.at, offset: formatOffset(offsetOf(event.at)) };
      for (const key of new Set(seen?.flags.map((f) => f.key)))
        seen?.flags.push({ key, percent: null, ...step });
    }
  });
  flush();

  const endedAt = events.at(-1)?.at ?? startedAt;
  const exposure = [...exposed].map(([environment, seen]): Exposure => {
    const to = seen.to ?? endedAt;
    return {
      environment,
      phases: seen.phases,
      from: seen.from,
      to,
      fromOffset: formatOffset(offsetOf(seen.from)),
      toOffset: formatOffset(offsetOf(to)),
      durationMs: Date.parse(to) - Date.parse(seen.from),
      rolledBack: seen.to !== null,
      ...(seen.flags.length === 0 ? {} : { flags: seen.flags }),
    };
  });
  return {
    outcome: state.status,
    reason: state.reason,
    startedAt,
    endedAt,
    timeline,
    exposure,
    anomalies: state.anomalies,
  };
};

const human = (ms: number): string => formatIsoDuration(ms).replace(/^P/, '').replace('T', '').toLowerCase();

/** The report as a person reads it: `+00:50:00  prod-canary  ALARM prod-eu-5xx-rate → rollback`. */
export const formatTimeline = (report: SimulationReport): string => {
  const width = Math.max(1, ...report.timeline.map((entry) => (entry.phase ?? '-').length));
  const lines = report.timeline.map((entry) => {
    const detail = entry.environment === null ? entry.detail : `${entry.environment} ${entry.detail}`;
    return `${entry.offset}  ${(entry.phase ?? '-').padEnd(width)}  ${detail}`;
  });
  lines.push('', `outcome: ${report.outcome}${report.reason ? ` (${report.reason})` : ''}`);
  if (report.exposure.length > 0) {
    const envWidth = Math.max(...report.exposure.map((e) => e.environment.length));
    lines.push('exposure:');
    for (const e of report.exposure) {
      const end = e.rolledBack ? 'rolled back' : 'still deployed at the end';
      lines.push(
        `  ${e.environment.padEnd(envWidth)}  ${e.fromOffset} → ${e.toOffset}  ${human(e.durationMs)}  ${end}`,
      );
      for (const key of new Set(e.flags?.map((f) => f.key))) {
        const steps = (e.flags ?? []).filter((f) => f.key === key);
        const ramp = steps.map((f) => `${f.percent === null ? 'restored' : `${f.percent}%`} ${f.offset}`);
        lines.push(`  ${' '.repeat(envWidth)}  flag ${key}: ${ramp.join(' → ')}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
};
