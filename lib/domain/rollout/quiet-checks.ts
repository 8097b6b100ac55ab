import { nextStep, type StepInput } from './next-step.ts';
import type { RolloutState } from './state.ts';
import { strategyTimings } from './strategy.ts';

/** The longest stretch of checks the workflow skips Decide for: a Decide at least every six hours. */
export const QUIET_STRETCH_MS = 6 * 3_600_000;

export interface QuietInput extends Omit<StepInput, 'check'> {
  /**
   * Epoch ms of the first instant the freeze calendar changes anything (a window starts or ends), or
   * null when nothing changes within the stretch.
   */
  freezeChange: number | null;
}

/** Whether a check at `now`, with this reading, would decide `continue` and write nothing. */
const quietAt = (input: QuietInput, now: number): boolean => {
  const step = nextStep({ ...input, now });
  return step.action === 'continue' && step.drafts.length === 0;
};

/**
 * How many of the next health checks the workflow may skip Decide for, as long as the alarm reading
 * stays the same: the checks that, with this reading, the state as it now stands (after this check's
 * events) and the holds as they are, would decide `continue` and write nothing. It stops before the
 * bake or the final watch ends, before the freeze calendar changes, and while AppConfig still deploys
 * (GetDeployment must be polled) or monitoring is unavailable (each check counts). One check is kept
 * in hand, because real waits drift later than `interval` apart. Operator actions do not wait for the
 * stretch to end: the API starts a fresh execution (see rollout-kick.ts).
 */
export const quietChecks = (input: QuietInput): number => {
  if (input.alarms === 'unavailable') return 0;
  if ((input.sinks ?? []).some((sink) => sink.state !== 'complete')) return 0;
  const { intervalMs } = strategyTimings(input.strategy);
  const limit = Math.floor(QUIET_STRETCH_MS / intervalMs);
  let quiet = 0;
  // The check in hand counts too: every check relied on lies within the stretch, the horizon of
  // `freezeChange`, and the next Decide is due within QUIET_STRETCH_MS.
  while (quiet < limit) {
    const at = input.now + (quiet + 1) * intervalMs;
    if (input.freezeChange !== null && at >= input.freezeChange) break;
    if (!quietAt(input, at)) break;
    quiet += 1;
  }
  return Math.max(0, quiet - 1);
};

/**
 * Whether the workflow may be in a quiet stretch, so an operator's event needs a kick to take effect
 * promptly: a running rollout whose current phase bakes, or one whose approval gate is open (the loop
 * keeps watching health while it waits, and reads the approval or rejection at its next Decide). A
 * pause waits on a token, answered instead; other states decide at their next check.
 */
export const mayBeQuiet = (state: RolloutState): boolean =>
  state.status === 'awaiting-approval' ||
  (state.status === 'running' && state.phases[state.currentPhaseIndex]?.status === 'baking');

/**
 * What the workflow compares the next readings with: the alarm states in DescribeAlarms' order, as
 * the ASL's `States.JsonToString($.health.states)` writes them.
 */
export const readingFingerprint = (states: readonly string[]): string => JSON.stringify(states);
