import type { InFlightPolicy } from '../freeze/freeze-window.ts';
import { decide, type Decision } from './decide.ts';
import type { AlarmReading, RolloutDraft } from './events.ts';
import { formatIsoDuration } from './iso-duration.ts';
import { nextEnvironment, remainingEnvironments, undeployedInPhase, watchedAlarms } from './progress.ts';
import type { RolloutState } from './state.ts';
import { strategyTimings, type Strategy } from './strategy.ts';

/** What the workflow does after a check: the ASL's `Action?` choice. */
export type StepAction = 'continue' | 'advance' | 'approval' | 'rollback' | 'pause' | 'deploy';

/** A freeze window that refuses a rollout phase in an environment the rollout has yet to deploy. */
export interface FreezeHold {
  environment: string;
  windows: { id: string; name: string; inFlight: InFlightPolicy; end: string }[];
}

/** An AppConfig deployment of a watched environment, as GetDeployment last reported it. */
export interface SinkReading {
  environment: string;
  state: 'pending' | 'deploying' | 'complete' | 'rolled-back' | 'failed';
  message?: string;
}

export interface StepInput {
  state: RolloutState;
  strategy: Strategy;
  /** Epoch milliseconds: the domain has no clock. */
  now: number;
  alarms: readonly AlarmReading[] | 'unavailable';
  /** Freeze refusals of the environments still to deploy (the freeze gate's verdict, evaluated now). */
  holds: readonly FreezeHold[];
  sinks?: readonly SinkReading[];
  /** The workflow's id of this check, recorded so a retried decision finds its own event. */
  check?: string;
}

export interface Step {
  action: StepAction;
  reason: string;
  /** Events to append, in one write (none for a healthy check that changes nothing). */
  drafts: RolloutDraft[];
}

const strictness: Record<InFlightPolicy, number> = { continue: 0, 'finish-phase': 1, pause: 2 };
const policyOf = (holds: readonly FreezeHold[]): InFlightPolicy =>
  holds
    .flatMap((hold) => hold.windows.map((w) => w.inFlight))
    .reduce<InFlightPolicy>((a, b) => (strictness[b] > strictness[a] ? b : a), 'continue');
const describeHolds = (holds: readonly FreezeHold[]): string => {
  const windows = new Map(holds.flatMap((hold) => hold.windows.map((w) => [w.id, w])));
  return [...windows.values()].map((w) => `${w.name} until ${w.end}`).join(', ');
};

const sameReadings = (a: readonly AlarmReading[], b: readonly AlarmReading[]): boolean =>
  a.length === b.length &&
  a.every((reading, i) => reading.name === b[i]?.name && reading.state === b[i].state);

/** The health decision of this check, AppConfig's own verdict first. */
const healthDecision = (input: StepInput, held: boolean, pausedByFreeze: boolean): Decision => {
  const { state, strategy } = input;
  const phase = state.phases[state.currentPhaseIndex];
  const broken = (input.sinks ?? []).filter(
    (sink) => sink.state === 'rolled-back' || sink.state === 'failed',
  );
  if (broken.length > 0) {
    const reason = broken
      .map((sink) =>
        sink.state === 'rolled-back'
          ? `AppConfig rolled back ${sink.environment}`
          : `AppConfig could not deploy ${sink.environment}${sink.message ? `: ${sink.message}` : ''}`,
      )
      .join('; ');
    return { action: 'rollback', verdict: 'unhealthy', consecutiveUnknown: 0, reason };
  }
  const expected = watchedAlarms(state, strategy);
  if (expected.length === 0)
    return { action: 'continue', verdict: 'healthy', consecutiveUnknown: 0, reason: 'nothing deployed yet' };
  const timings = strategyTimings(strategy);
  const last = state.currentPhaseIndex === state.phases.length - 1;
  const sinking = (input.sinks ?? []).some((sink) => sink.state === 'pending' || sink.state === 'deploying');
  const bakeStartedAt = phase?.bakeStartedAt ? Date.parse(phase.bakeStartedAt) : undefined;
  const decision = decide({
    alarms: input.alarms,
    expected,
    consecutiveUnknown: state.consecutiveUnknown,
    bakedMs: bakeStartedAt === undefined ? 0 : input.now - bakeStartedAt,
    // Held part-way, or AppConfig still deploying: the bake cannot complete. A baked phase (approved,
    // or waiting for approval) has nothing left to bake.
    bakeMs:
      held || sinking
        ? Infinity
        : phase?.status === 'baked' || phase?.status === 'awaiting-approval'
          ? 0
          : (phase?.bakeMs ?? 0) + (last ? timings.finalWatchMs : 0),
    policy: strategy.health,
    paused: pausedByFreeze,
    promoted: state.promoted,
    automaticRollback: strategy.rollback.automatic,
  });
  if (decision.action === 'continue' && sinking)
    return { ...decision, reason: `${decision.reason}; AppConfig deploying` };
  if (decision.action === 'continue' && last && timings.finalWatchMs > 0 && bakeStartedAt !== undefined) {
    const left = Math.max(0, bakeStartedAt + (phase?.bakeMs ?? 0) + timings.finalWatchMs - input.now);
    if (input.now - bakeStartedAt >= (phase?.bakeMs ?? 0))
      return { ...decision, reason: `${decision.verdict}; final watch, ${formatIsoDuration(left)} left` };
  }
  return decision;
};

/**
 * The workflow's step after one health check, pure: the health decision (decide()), AppConfig's
 * verdict, the approval gate, and freezes in force on the environments still to deploy, whose inFlight
 * policy applies (`pause`: pause now; `finish-phase`, or a window the rollout started into: hold before
 * the environment it freezes). A freeze pause resumes by itself once nothing holds the rollout; an
 * operator's or the health policy's pause waits for `resume`. Rollback stays possible while held.
 * An open approval gate keeps watching: an alarm rolls back, nobody deciding within approvalTimeout
 * rolls back, otherwise it waits (`continue`) until the approval (then `advance`) or the rejection
 * (then `rollback`) is in the stream. Freezes hold the next phase once approved, not the gate.
 */
export const nextStep = (input: StepInput): Step => {
  const { state } = input;
  if (state.status === 'rolling-back')
    return { action: 'rollback', reason: state.reason ?? 'rolling back', drafts: [] };
  if (state.status === 'paused' && state.pausedBy !== 'freeze')
    return { action: 'pause', reason: state.reason ?? 'paused', drafts: [] };
  const phase = state.phases[state.currentPhaseIndex];
  if (!phase) return { action: 'deploy', reason: 'no phase has started', drafts: [] };
  const remaining = new Set(remainingEnvironments(state));
  const holds = input.holds.filter((hold) => remaining.has(hold.environment));
  const pausing = holds.filter((hold) => hold.windows.some((w) => w.inFlight === 'pause'));
  const next = nextEnvironment(state);
  const nextHeld = holds.filter((hold) => hold.environment === next);
  const heldMidPhase = undeployedInPhase(state).length > 0;
  const pausedByFreeze = state.status === 'paused';
  const gate = state.status === 'awaiting-approval';
  // A freeze holds the next phase, not an open gate: the gate is judged on health and its timeout.
  const decision = healthDecision(input, heldMidPhase, pausedByFreeze || (pausing.length > 0 && !gate));
  const drafts: RolloutDraft[] = [];
  const step = (action: StepAction, reason: string): Step => {
    const checked: RolloutDraft = {
      type: 'HealthChecked',
      phase: phase.name,
      verdict: decision.verdict,
      alarms: input.alarms === 'unavailable' ? [] : [...input.alarms],
      consecutiveUnknown: decision.consecutiveUnknown,
      reason,
      ...(input.check === undefined ? {} : { check: input.check }),
      action,
    };
    const last = state.lastHealth;
    const unchanged =
      drafts.length === 0 &&
      action === 'continue' &&
      decision.verdict === 'healthy' &&
      last?.verdict === 'healthy' &&
      last.phase === phase.name &&
      sameReadings(last.alarms, checked.alarms);
    return { action, reason, drafts: unchanged ? [] : [checked, ...drafts] };
  };
  const holdFor = (blocking: readonly FreezeHold[]): Step => {
    const reason = `held by ${describeHolds(blocking)} (inFlight ${policyOf(blocking)})`;
    if (!pausedByFreeze) {
      const windows = [...new Set(blocking.flatMap((hold) => hold.windows.map((w) => w.id)))];
      drafts.push({ type: 'FreezeApplied', policy: policyOf(blocking), windows });
      drafts.push({ type: 'Paused', by: 'freeze', reason });
    }
    return step('continue', `${decision.reason}; ${reason}`);
  };

  if (decision.action === 'rollback') {
    drafts.push({ type: 'RollbackStarted', reason: decision.reason });
    return step('rollback', decision.reason);
  }
  if (gate) {
    // The gate keeps watching: an alarm rolls back (above); past the timeout nobody decided in time.
    // Awaiting approval: ApprovalRequested stamped when the gate opened.
    const openedAt = Date.parse(String(phase.approvalRequestedAt));
    const { approvalTimeoutMs } = strategyTimings(input.strategy);
    if (input.now >= openedAt + approvalTimeoutMs) {
      drafts.push({ type: 'ApprovalTimedOut', phase: phase.name });
      return step('rollback', `approval of phase ${phase.name} timed out`);
    }
  }
  if (decision.action === 'pause') {
    drafts.push({ type: 'Paused', reason: decision.reason });
    return step('pause', decision.reason);
  }
  if (gate) return step('continue', `${decision.reason}; waiting for approval of phase ${phase.name}`);
  if (pausing.length > 0) return holdFor(pausing);
  if ((heldMidPhase || decision.action === 'advance' || pausedByFreeze) && nextHeld.length > 0)
    return holdFor(nextHeld);
  if (pausedByFreeze) {
    drafts.push({ type: 'Resumed', by: 'freeze' });
    return step('continue', `${decision.reason}; the freeze no longer holds the rollout`);
  }
  if (heldMidPhase) return step('deploy', `${decision.reason}; deploying the rest of phase ${phase.name}`);
  if (decision.action === 'advance' && phase.status === 'baked')
    return step('advance', `${decision.reason}; approved`);
  if (decision.action === 'advance') {
    drafts.push({ type: 'PhaseBaked', phase: phase.name });
    if (phase.approval) {
      drafts.push({ type: 'ApprovalRequested', phase: phase.name });
      return step('approval', `${decision.reason}; waiting for approval`);
    }
    return step('advance', decision.reason);
  }
  return step('continue', decision.reason);
};
