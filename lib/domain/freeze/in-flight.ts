import type { MatchingWindow } from './freeze-status.ts';

/** Where a `rollout-phase` change stands in its rollout, for the windows' inFlight policy. */
export interface InFlightContext {
  /** When the rollout started (ISO). */
  rolloutStartedAt: string;
  /** When the phase this change belongs to started; absent when it has not started yet. */
  phaseStartedAt?: string;
}

/**
 * Does the window's inFlight policy let this phase change through? Only windows that began after the
 * rollout started are in flight: `continue` lets every phase go on, `finish-phase` only the phase that
 * had started before the window began, `pause` none.
 */
export const inFlightPermits = (window: MatchingWindow, context: InFlightContext): boolean => {
  const began = Date.parse(window.start);
  if (!(Date.parse(context.rolloutStartedAt) < began)) return false;
  if (window.inFlight === 'continue') return true;
  if (window.inFlight === 'pause' || context.phaseStartedAt === undefined) return false;
  return Date.parse(context.phaseStartedAt) < began;
};
