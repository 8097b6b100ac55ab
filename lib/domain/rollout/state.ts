import type { InFlightPolicy } from '../freeze/freeze-window.ts';
import type { AlarmReading, RolloutBundle, RolloutRelease, Verdict } from './events.ts';
import type { Strategy } from './strategy.ts';

export const rolloutStatuses = [
  'pending',
  'running',
  'awaiting-approval',
  'paused',
  'rolling-back',
  'rolled-back',
  'succeeded',
  'aborted',
  'failed',
] as const;
export type RolloutStatus = (typeof rolloutStatuses)[number];

export const terminalStatuses: readonly RolloutStatus[] = ['rolled-back', 'succeeded', 'aborted', 'failed'];
export const isTerminal = (status: RolloutStatus): boolean => terminalStatuses.includes(status);

export const phaseStatuses = [
  'pending',
  'deploying',
  'baking',
  'awaiting-approval',
  'baked',
  'rolled-back',
  'skipped',
] as const;
export type PhaseStatus = (typeof phaseStatuses)[number];

export interface PhaseDeployment {
  environment: string;
  deploymentId: string;
  previousSnapshot: string;
  snapshot: string;
  deployedAt: string;
  /** Set once this environment has been restored by the rollback. */
  rolledBackAt: string | null;
}

export interface PhaseState {
  name: string;
  environments: string[];
  status: PhaseStatus;
  approval: boolean;
  percentage: number | null;
  bakeMs: number;
  /** When the phase started (its PhaseStarted). */
  startedAt: string | null;
  /** When the phase's first environment received the new configuration. */
  deployedAt: string | null;
  /** When the last environment of the phase was deployed: the bake clock starts here. */
  bakeStartedAt: string | null;
  /** While baking: when the bake will be complete. Once baked: when it completed (earlier if promoted). */
  bakedUntil: string | null;
  /** When its approval gate opened (ApprovalRequested): the approval timeout counts from here. */
  approvalRequestedAt: string | null;
  deployments: PhaseDeployment[];
}

export interface RollbackStep {
  phase: string;
  environment: string;
  /** The snapshot the environment had before this rollout first deployed to it. */
  restoreSnapshot: string;
  /** The deployment being undone (the newest one of this rollout in that environment). */
  deploymentId: string;
}

export interface HealthReading {
  at: string;
  phase: string;
  verdict: Verdict;
  alarms: AlarmReading[];
  reason: string | null;
}

export interface Anomaly {
  seq: number;
  at: string;
  type: string;
  reason: string;
}

export interface RolloutState {
  id: string;
  bundle: RolloutBundle | null;
  /** A release rollout: each phase deploys the whole release atomically. */
  release: RolloutRelease | null;
  strategy: Strategy | null;
  startedBy: string | null;
  startedAt: string | null;
  endedAt: string | null;
  status: RolloutStatus;
  /** Why the rollout is where it is: the pause, rollback or failure reason. */
  reason: string | null;
  /** Rollbacks asked for by a person (abort, rejected approval) end `aborted`, the others `rolled-back`. */
  rollbackCause: 'operator' | 'automatic' | null;
  currentPhase: string | null;
  currentPhaseIndex: number;
  phases: PhaseState[];
  consecutiveUnknown: number;
  lastHealth: HealthReading | null;
  /** An operator promoted the current phase: it advances at the next healthy check. */
  promoted: boolean;
  pausedFrom: RolloutStatus | null;
  /** Who paused: an operator, `freeze` (resumes by itself when the window ends) or null (the health policy). */
  pausedBy: string | null;
  freeze: { at: string; policy: InFlightPolicy; windows: string[] } | null;
  environmentsBefore: Record<string, string>;
  /**
   * What is left to restore, newest phase first: every environment this rollout deployed to and that
   * is not rolled back yet. Environments deployed twice (percentage steps) appear once.
   */
  rollbackPlan: RollbackStep[];
  executionName: string | null;
  continuedAsNew: number;
  /**
   * The rollout's execution ended while the rollout had not (ExecutionEnded): no workflow runs it until
   * an operator's action starts a fresh one (ContinuedAsNew clears this).
   */
  workflowEnded: { executionName: string; status: string; at: string; reason: string } | null;
  /** A fresh execution was started to carry out the rollback after an execution ended: never twice. */
  rollbackRescued: boolean;
  lastSeq: number;
  eventCount: number;
  /** Events that did not fit the state; ignored, never thrown. */
  anomalies: Anomaly[];
}

export const initialRolloutState = (): RolloutState => ({
  id: '',
  bundle: null,
  release: null,
  strategy: null,
  startedBy: null,
  startedAt: null,
  endedAt: null,
  status: 'pending',
  reason: null,
  rollbackCause: null,
  currentPhase: null,
  currentPhaseIndex: -1,
  phases: [],
  consecutiveUnknown: 0,
  lastHealth: null,
  promoted: false,
  pausedFrom: null,
  pausedBy: null,
  freeze: null,
  environmentsBefore: {},
  rollbackPlan: [],
  executionName: null,
  continuedAsNew: 0,
  workflowEnded: null,
  rollbackRescued: false,
  lastSeq: -1,
  eventCount: 0,
  anomalies: [],
});
