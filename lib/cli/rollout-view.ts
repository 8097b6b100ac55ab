import type { Problem } from '../domain/core/problem.ts';
import type { AlarmReading, Verdict } from '../domain/rollout/events.ts';
import type { PhaseStatus, RolloutStatus } from '../domain/rollout/state.ts';

/** A rollout as `GET /rollouts/{id}` answers it (the CLI only reads it; the API shapes it). */
export interface RolloutView {
  id: string;
  bundle: string | null;
  bundleHash?: string | null;
  strategy: string | null;
  status: RolloutStatus;
  reason: string | null;
  startedAt: string | null;
  startedBy: string | null;
  endedAt: string | null;
  currentPhase: string | null;
  health: HealthView | null;
  consecutiveUnknown?: number;
  promoted?: boolean;
  freeze?: { at: string; policy: string; windows: string[] } | null;
  phases: PhaseView[];
  events: EventView[];
  /** Events the reducer could not apply (shown, never thrown). */
  anomalies?: { seq: number; at: string; type: string; reason: string }[];
  /** Only in the answer to `POST /rollouts`. */
  warnings?: Problem[];
}

export interface HealthView {
  verdict: Verdict;
  at: string;
  reason: string | null;
  alarms: AlarmReading[];
}

export interface PhaseView {
  name: string;
  environments: string[];
  status: PhaseStatus;
  deployedAt: string | null;
  bakedUntil: string | null;
  approval?: boolean;
}

export interface EventView {
  seq?: number;
  at: string;
  type: string;
  phase: string | null;
  environment: string | null;
  detail: string;
}

/** One row of `GET /rollouts`. */
export interface RolloutSummary {
  id: string;
  bundle: string | null;
  strategy: string | null;
  status: RolloutStatus;
  currentPhase: string | null;
  startedAt: string | null;
  startedBy: string | null;
  endedAt: string | null;
}

export const rolloutActions = ['approve', 'reject', 'pause', 'resume', 'abort', 'promote'] as const;
export type RolloutAction = (typeof rolloutActions)[number];
