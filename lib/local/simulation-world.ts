import { isConvoyError } from '#domain/core/errors.ts';
import { durationMs, formatOffset } from '#domain/rollout/iso-duration.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import { alarmStatesAt } from '#domain/rollout/scenario-world.ts';
import type { Scenario, ScriptedApproval } from '#domain/rollout/scenario-schema.ts';
import { isTerminal, type RolloutState } from '#domain/rollout/state.ts';
import { performRolloutAction } from '#app/rollouts/act-on-rollout.ts';
import type { Deps } from '#app/deps.ts';
import { LocalAlarms } from './local-alarms.ts';
import type { VirtualClock } from './virtual-clock.ts';

/**
 * CloudWatch as the scenario scripts it: every DescribeAlarms answers with the alarm states (or the
 * monitoring outage) that hold at the virtual time of the call, through a LocalAlarms so the answer and
 * the outage error are exactly the embedded runtime's.
 */
export class ScenarioAlarms extends LocalAlarms {
  private readonly scenario: Scenario;
  private readonly clock: VirtualClock;
  private readonly start: number;

  constructor(scenario: Scenario, clock: VirtualClock, start: number) {
    super();
    this.scenario = scenario;
    this.clock = clock;
    this.start = start;
  }

  /** DescribeAlarms calls so far: one per health check. */
  calls = 0;

  override describeAlarms(parameters: unknown): ReturnType<LocalAlarms['describeAlarms']> {
    this.calls += 1;
    const requested = (parameters as { AlarmNames?: unknown } | null)?.AlarmNames;
    const names = Array.isArray(requested) ? requested.map(String) : [];
    const readings = alarmStatesAt(this.scenario, names, this.clock.now() - this.start);
    const world = new LocalAlarms();
    if (readings === 'unavailable') world.outage(true);
    else for (const reading of readings) world.set(reading.name, reading.state);
    return world.describeAlarms({ AlarmNames: names });
  }
}

type Approval = ScriptedApproval & { atMs: number; index: number };

/** The scripted reason; a rejection needs one, so it gets a default. */
const reasonOf = (approval: Approval): { reason?: string } => {
  if (approval.reason !== undefined) return { reason: approval.reason };
  return approval.decision === 'reject' ? { reason: `rejected by ${approval.by} (scenario)` } : {};
};

/**
 * The scenario's approvals, each applied through the operators' own path (performRolloutAction) at its
 * virtual time, or, if the phase's gate is not open yet then, the moment it opens (the approver acts
 * when asked). An approval whose gate the rollout passed or never reached, or that the platform
 * refuses (say the approver is no release manager), is dropped with a note.
 */
export const scriptedApprovals = (options: {
  deps: Deps;
  clock: VirtualClock;
  start: number;
  scenario: Scenario;
  rolloutId: string;
  notes: string[];
}) => {
  const { deps, clock, start, scenario, notes } = options;
  const pending: Approval[] = scenario.approvals.map((entry, index) => ({
    ...entry,
    atMs: durationMs(entry.at),
    index,
  }));
  const when = (approval: Approval): string =>
    `approvals[${approval.index}] (${approval.decision} ${approval.phase} by ${approval.by} at ${formatOffset(approval.atMs)})`;
  const drop = (approval: Approval, why: string): void => {
    pending.splice(pending.indexOf(approval), 1);
    notes.push(`${when(approval)} ${why}`);
  };
  const gateOpen = (state: RolloutState, approval: Approval): boolean =>
    state.status === 'awaiting-approval' && state.currentPhase === approval.phase;
  const passed = (state: RolloutState, approval: Approval): boolean => {
    const index = state.phases.findIndex((phase) => phase.name === approval.phase);
    return isTerminal(state.status) || state.currentPhaseIndex > index;
  };

  const apply = async (rolloutId: string, approval: Approval): Promise<void> => {
    pending.splice(pending.indexOf(approval), 1);
    try {
      await performRolloutAction(deps, {
        rolloutId,
        action: approval.decision,
        principal: approval.by,
        ...reasonOf(approval),
      });
    } catch (error) {
      if (!isConvoyError(error)) throw error;
      notes.push(`${when(approval)} was refused: ${error.message}`);
    }
  };

  /** Apply what is due and possible now; called whenever the clock is about to move on. */
  const act = async (): Promise<void> => {
    const { rolloutId } = options;
    const due = pending.filter((approval) => start + approval.atMs <= clock.now());
    if (due.length === 0) return;
    const state = reduceRollout(await deps.store.rollouts.events(rolloutId));
    for (const approval of due) {
      if (gateOpen(state, approval)) return apply(rolloutId, approval);
      if (passed(state, approval))
        drop(
          approval,
          `was never asked for: the rollout is ${state.status} at phase ${state.currentPhase ?? '-'}.`,
        );
    }
  };

  // A timer at each approval's time makes the clock stop there.
  for (const approval of pending) clock.setTimer(start + approval.atMs, () => undefined);
  return {
    act,
    /** Approvals still waiting for their gate when the simulation ended. */
    leftOver: (): void => {
      for (const approval of [...pending]) drop(approval, 'was never asked for: its gate never opened.');
    },
  };
};
