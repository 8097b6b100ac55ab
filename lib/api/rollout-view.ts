import type { Problem } from '#domain/core/problem.ts';
import { describeEvent } from '#domain/rollout/describe-event.ts';
import type { AlarmReading, RolloutBundle, RolloutEvent, Verdict } from '#domain/rollout/events.ts';
import type { Anomaly, PhaseStatus, RolloutState, RolloutStatus } from '#domain/rollout/state.ts';

export interface RolloutPhaseView {
  name: string;
  environments: string[];
  status: PhaseStatus;
  deployedAt: string | null;
  bakedUntil: string | null;
  approval: boolean;
}

export interface RolloutEventView {
  seq: number;
  at: string;
  type: RolloutEvent['type'];
  phase: string | null;
  environment: string | null;
  detail: string;
}

export interface RolloutHealthView {
  verdict: Verdict;
  at: string;
  reason: string | null;
  alarms: AlarmReading[];
}

/** A rollout as the API, the CLI and the dashboard show it: the reduced state plus its timeline. */
export interface RolloutView {
  id: string;
  bundle: string | null;
  bundleHash: string | null;
  /** A release rollout: the release each phase deploys whole (`bundle` then reads `<release>@release`). */
  release?: string;
  /** A release rollout: the exact bundle versions (`name@version`, plan order) every phase deploys. */
  releaseBundles?: string[];
  strategy: string | null;
  status: RolloutStatus;
  reason: string | null;
  startedAt: string | null;
  startedBy: string | null;
  endedAt: string | null;
  currentPhase: string | null;
  health: RolloutHealthView | null;
  consecutiveUnknown: number;
  promoted: boolean;
  freeze: RolloutState['freeze'];
  phases: RolloutPhaseView[];
  events: RolloutEventView[];
  anomalies: Anomaly[];
}

/** The answer to `POST /rollouts`: the new rollout and the strategy's warnings (it started anyway). */
export type StartedRolloutView = RolloutView & { warnings: Problem[] };

/** One line of `GET /rollouts`. */
export type RolloutListItem = Pick<
  RolloutView,
  'id' | 'bundle' | 'strategy' | 'status' | 'currentPhase' | 'startedAt' | 'startedBy' | 'endedAt'
>;

const bundleRef = (bundle: RolloutBundle | null): string | null =>
  bundle === null ? null : `${bundle.name}@${bundle.version}`;

export const rolloutEventView = (event: RolloutEvent): RolloutEventView => ({
  seq: event.seq,
  at: event.at,
  type: event.type,
  phase: 'phase' in event ? event.phase : null,
  environment: 'environment' in event ? event.environment : null,
  detail: describeEvent(event),
});

export const rolloutListItem = (state: RolloutState): RolloutListItem => ({
  id: state.id,
  bundle: bundleRef(state.bundle),
  strategy: state.strategy?.name ?? null,
  status: state.status,
  currentPhase: state.currentPhase,
  startedAt: state.startedAt,
  startedBy: state.startedBy,
  endedAt: state.endedAt,
});

/** Pure shaping of `reduceRollout(events)` and the events it was reduced from. */
export const rolloutView = (state: RolloutState, events: readonly RolloutEvent[]): RolloutView => {
  const health = state.lastHealth;
  return {
    id: state.id,
    bundle: bundleRef(state.bundle),
    bundleHash: state.bundle?.hash ?? null,
    ...(state.release ? { release: state.release.name, releaseBundles: state.release.bundles } : {}),
    strategy: state.strategy?.name ?? null,
    status: state.status,
    reason: state.reason,
    startedAt: state.startedAt,
    startedBy: state.startedBy,
    endedAt: state.endedAt,
    currentPhase: state.currentPhase,
    health:
      health === null
        ? null
        : { verdict: health.verdict, at: health.at, reason: health.reason, alarms: health.alarms },
    consecutiveUnknown: state.consecutiveUnknown,
    promoted: state.promoted,
    freeze: state.freeze,
    phases: state.phases.map((phase) => ({
      name: phase.name,
      environments: phase.environments,
      status: phase.status,
      deployedAt: phase.deployedAt,
      bakedUntil: phase.bakedUntil,
      approval: phase.approval,
    })),
    events: events.map(rolloutEventView),
    anomalies: state.anomalies,
  };
};

/** The ETag of a rollout: the seq of its newest stored event (what an append must extend). */
export const rolloutEtag = (events: readonly { seq: number }[]): string => `"${events.at(-1)?.seq ?? -1}"`;
