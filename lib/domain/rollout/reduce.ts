import type { EventOf, RolloutEvent, RolloutEventType } from './events.ts';
import { parseIsoDuration } from './iso-duration.ts';
import { initialRolloutState, isTerminal } from './state.ts';
import type { PhaseState, RolloutState, RolloutStatus } from './state.ts';
import { phaseTransitions } from './reduce-phases.ts';
import { rollbackTransitions } from './reduce-rollback.ts';
import type { Transition, Transitions } from './transition.ts';

const started: Transition<'RolloutStarted'> = (state, event) => {
  if (state.id !== '') return `rollout ${state.id} already started`;
  const phases = event.strategy.phases.map((phase): PhaseState => {
    const bake = parseIsoDuration(phase.bake);
    return {
      name: phase.name,
      environments: [...phase.environments],
      status: 'pending',
      approval: phase.approval ?? false,
      percentage: phase.percentage ?? null,
      bakeMs: bake.ok ? bake.ms : 0,
      startedAt: null,
      deployedAt: null,
      bakeStartedAt: null,
      bakedUntil: null,
      approvalRequestedAt: null,
      deployments: [],
    };
  });
  Object.assign(state, {
    id: event.rolloutId,
    bundle: event.bundle,
    release: event.release ?? null,
    strategy: event.strategy,
    startedBy: event.by,
    startedAt: event.at,
    status: 'pending',
    phases,
    environmentsBefore: { ...event.environmentsBefore },
  } satisfies Partial<RolloutState>);
  return undefined;
};

const pausable: readonly RolloutStatus[] = ['pending', 'running', 'awaiting-approval'];

const controlTransitions = {
  Paused: (state, event) => {
    if (!pausable.includes(state.status)) return `cannot pause a rollout that is ${state.status}`;
    state.pausedFrom = state.status;
    state.pausedBy = event.by ?? null;
    state.status = 'paused';
    state.reason = event.reason;
    return undefined;
  },
  Resumed: (state) => {
    if (state.status !== 'paused') return `cannot resume a rollout that is ${state.status}`;
    state.status = state.pausedFrom ?? 'running';
    state.pausedFrom = null;
    state.pausedBy = null;
    state.reason = null;
    return undefined;
  },
  Promoted: (state) => {
    const phase = state.phases[state.currentPhaseIndex];
    if (state.status !== 'running' || phase?.status !== 'baking')
      return 'only a running, baking phase can be promoted';
    state.promoted = true;
    return undefined;
  },
  FreezeApplied: (state, event) => {
    state.freeze = { at: event.at, policy: event.policy, windows: [...event.windows] };
    return undefined;
  },
  ContinuedAsNew: (state, event) => {
    state.executionName = event.executionName;
    state.continuedAsNew += 1;
    state.workflowEnded = null;
    return undefined;
  },
  ExecutionEnded: (state, event) => {
    const current = state.executionName ?? state.id;
    if (event.executionName !== current) return `the rollout runs in ${current}, not ${event.executionName}`;
    state.workflowEnded = {
      executionName: event.executionName,
      status: event.status,
      at: event.at,
      reason: event.reason,
    };
    if (event.action === 'rollback') state.rollbackRescued = true;
    return undefined;
  },
  Succeeded: (state, event) => {
    if (state.status !== 'running') return `cannot succeed while ${state.status}`;
    const unbaked = state.phases.find((phase) => phase.status !== 'baked');
    if (unbaked) return `phase ${unbaked.name} is ${unbaked.status}, not baked`;
    state.status = 'succeeded';
    state.endedAt = event.at;
    return undefined;
  },
  Failed: (state, event) => {
    for (const phase of state.phases) if (phase.status === 'pending') phase.status = 'skipped';
    state.status = 'failed';
    state.reason = event.reason;
    state.endedAt = event.at;
    return undefined;
  },
} satisfies Partial<Transitions>;

const transitions: Transitions = {
  RolloutStarted: started,
  ...phaseTransitions,
  ...controlTransitions,
  ...rollbackTransitions,
};

const apply = <T extends RolloutEventType>(state: RolloutState, event: EventOf<T>): string | undefined => {
  if (event.seq <= state.lastSeq)
    return `seq ${event.seq} is not after ${state.lastSeq} (duplicate or out of order)`;
  if (state.id === '' && event.type !== 'RolloutStarted') return 'the stream must start with RolloutStarted';
  if (isTerminal(state.status)) return `the rollout already ended ${state.status}`;
  const transition = transitions[event.type] as Transition<T>;
  return transition(state, event);
};

/**
 * Called after each event with the reason it was ignored (undefined when applied) and the state so
 * far. The state is the reducer's working copy: read it, do not keep or change it.
 */
export type RolloutObserver = (
  event: RolloutEvent,
  ignored: string | undefined,
  state: Readonly<RolloutState>,
) => void;

/** Apply one event to a state the caller owns (mutating it). Used by the single-pass reducer. */
const step = (state: RolloutState, event: RolloutEvent): string | undefined => {
  const anomaly = apply(state, event);
  if (anomaly === undefined) {
    state.lastSeq = event.seq;
    state.eventCount += 1;
  } else {
    state.anomalies.push({ seq: event.seq, at: event.at, type: event.type, reason: anomaly });
  }
  return anomaly;
};

/**
 * The state of a rollout: a pure, single-pass reduction of its events, optionally continuing from a
 * state reduced earlier (`reduceRollout(rest, reduceRollout(prefix))` equals `reduceRollout(all)`).
 * Events that do not fit are ignored and recorded in `anomalies`; this never throws on a stream.
 */
export const reduceRollout = (
  events: Iterable<RolloutEvent>,
  from: RolloutState = initialRolloutState(),
  observe?: RolloutObserver,
): RolloutState => {
  const state = structuredClone(from);
  for (const event of events) {
    const ignored = step(state, event);
    observe?.(event, ignored, state);
  }
  return state;
};

/** One event on top of `state`, returning a new state (the argument is left untouched). */
export const applyEvent = (state: RolloutState, event: RolloutEvent): RolloutState =>
  reduceRollout([event], state);
