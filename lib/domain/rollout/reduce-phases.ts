import type { Transitions } from './transition.ts';
import type { PhaseState, RolloutState } from './state.ts';

/** The current phase, when the event names it; otherwise why not. */
const current = (state: RolloutState, name: string): PhaseState | string => {
  const phase = state.phases[state.currentPhaseIndex];
  if (phase?.name === name) return phase;
  return `phase ${name} is not the current phase (${state.currentPhase ?? 'none'})`;
};

/** `iso` plus `ms`, or `iso` itself when that is not a representable instant (never throws). */
const plusMs = (iso: string, ms: number): string => {
  const end = new Date(Date.parse(iso) + ms);
  return Number.isNaN(end.getTime()) ? iso : end.toISOString();
};

export const phaseTransitions = {
  PhaseStarted: (state, event) => {
    if (state.status !== 'pending' && state.status !== 'running')
      return `cannot start a phase while ${state.status}`;
    const index = state.currentPhaseIndex + 1;
    const next = state.phases[index];
    if (next?.name !== event.phase) return `the next phase is ${next?.name ?? 'none'}, not ${event.phase}`;
    const previous = state.phases[index - 1];
    if (previous && previous.status !== 'baked')
      return `phase ${previous.name} is ${previous.status}, not baked`;
    next.status = 'deploying';
    next.startedAt = event.at;
    state.currentPhaseIndex = index;
    state.currentPhase = next.name;
    state.status = 'running';
    state.consecutiveUnknown = 0;
    state.promoted = false;
    return undefined;
  },
  PhaseDeployed: (state, event) => {
    const phase = current(state, event.phase);
    if (typeof phase === 'string') return phase;
    if (phase.status !== 'deploying') return `phase ${phase.name} is ${phase.status}, not deploying`;
    if (!phase.environments.includes(event.environment)) {
      return `phase ${phase.name} does not deploy to ${event.environment}`;
    }
    if (phase.deployments.some((d) => d.environment === event.environment)) {
      return `${event.environment} is already deployed in phase ${phase.name}`;
    }
    phase.deployments.push({
      environment: event.environment,
      deploymentId: event.deploymentId,
      previousSnapshot: event.previousSnapshot,
      snapshot: event.snapshot,
      deployedAt: event.at,
      rolledBackAt: null,
    });
    phase.deployedAt ??= event.at;
    // The plan restores what the environment had before this rollout first touched it, and lists it
    // once, at the position of the newest phase that deployed it.
    const earlier = state.rollbackPlan.find((s) => s.environment === event.environment);
    if (earlier) state.rollbackPlan.splice(state.rollbackPlan.indexOf(earlier), 1);
    const restoreSnapshot = earlier ? earlier.restoreSnapshot : event.previousSnapshot;
    state.rollbackPlan.unshift({
      phase: phase.name,
      environment: event.environment,
      restoreSnapshot,
      deploymentId: event.deploymentId,
    });
    if (phase.deployments.length === phase.environments.length && state.status !== 'rolling-back') {
      phase.status = 'baking';
      phase.bakeStartedAt = event.at;
      phase.bakedUntil = plusMs(event.at, phase.bakeMs);
    }
    return undefined;
  },
  HealthChecked: (state, event) => {
    if (!['running', 'paused', 'awaiting-approval'].includes(state.status)) {
      return `health checks do not apply while ${state.status}`;
    }
    // Any phase that started is watched, one held by a freeze part-way through deploying included.
    const phase = current(state, event.phase);
    if (typeof phase === 'string') return phase;
    state.consecutiveUnknown = event.consecutiveUnknown;
    state.lastHealth = {
      at: event.at,
      phase: event.phase,
      verdict: event.verdict,
      alarms: event.alarms,
      reason: event.reason ?? null,
    };
    return undefined;
  },
  PhaseBaked: (state, event) => {
    const phase = current(state, event.phase);
    if (typeof phase === 'string') return phase;
    if (state.status !== 'running' || phase.status !== 'baking') {
      return `phase ${phase.name} is ${phase.status} and the rollout ${state.status}; it cannot complete its bake`;
    }
    phase.status = 'baked';
    phase.bakedUntil = event.at;
    state.promoted = false;
    return undefined;
  },
  ApprovalRequested: (state, event) => {
    const phase = current(state, event.phase);
    if (typeof phase === 'string') return phase;
    if (state.status !== 'running' || phase.status !== 'baked') {
      return `approval is requested after the bake; phase ${phase.name} is ${phase.status}`;
    }
    phase.status = 'awaiting-approval';
    phase.approvalRequestedAt = event.at;
    state.status = 'awaiting-approval';
    return undefined;
  },
  ApprovalGranted: (state, event) => {
    const phase = awaiting(state, event.phase);
    if (typeof phase === 'string') return phase;
    phase.status = 'baked';
    state.status = 'running';
    return undefined;
  },
  ApprovalRejected: (state, event) => {
    const phase = awaiting(state, event.phase);
    if (typeof phase === 'string') return phase;
    phase.status = 'baked';
    startRollback(state, 'operator', `approval rejected by ${event.by}: ${event.reason}`);
    return undefined;
  },
  ApprovalTimedOut: (state, event) => {
    const phase = awaiting(state, event.phase);
    if (typeof phase === 'string') return phase;
    phase.status = 'baked';
    startRollback(state, 'automatic', `approval of phase ${phase.name} timed out`);
    return undefined;
  },
} satisfies Partial<Transitions>;

function awaiting(state: RolloutState, name: string): PhaseState | string {
  const phase = current(state, name);
  if (typeof phase === 'string') return phase;
  if (state.status !== 'awaiting-approval') return `no approval is pending (the rollout is ${state.status})`;
  return phase;
}

/** Enter rolling-back; a rollback already under way keeps its cause and reason. */
export function startRollback(state: RolloutState, cause: 'operator' | 'automatic', reason: string): void {
  if (state.status === 'rolling-back') return;
  state.status = 'rolling-back';
  state.rollbackCause = cause;
  state.reason = reason;
  state.pausedFrom = null;
  state.pausedBy = null;
}
