import type { Head } from '../environments/head.ts';
import type { RolloutDraft } from './events.ts';
import type { FreezeHold } from './next-step.ts';

/**
 * The deploy-phase hold policy: what Deploy Phase appends instead of (or for) a deployment of one
 * environment of the current phase.
 */

const held = (policy: 'pause' | 'finish-phase', windows: string[], reason: string): RolloutDraft[] => [
  { type: 'FreezeApplied', policy, windows },
  { type: 'Paused', by: 'freeze', reason },
];

/**
 * A freeze holds the environment: the rollout pauses by the freeze (the loop keeps watching health and
 * resumes it). Any window that pauses in-flight rollouts pauses; otherwise the phase may finish.
 */
export const freezeHeld = (hold: FreezeHold): RolloutDraft[] =>
  held(
    hold.windows.some((w) => w.inFlight === 'pause') ? 'pause' : 'finish-phase',
    hold.windows.map((w) => w.id),
    `held by ${hold.windows.map((w) => `${w.name} until ${w.end}`).join(', ')}`,
  );

/** A window added between the check and the commit refused the deployment: hold, as if it had been there. */
export const frozenAtCommit = (windows: readonly { id: string }[], message: string): RolloutDraft[] =>
  held(
    'pause',
    windows.map((w) => w.id),
    message,
  );

/**
 * The environment already runs the bundle: the phase records it deployed with nothing for a rollback
 * to undo (the snapshot before is the snapshot after).
 */
export const alreadyDeployed = (phase: string, environment: string, head: Head): RolloutDraft => ({
  type: 'PhaseDeployed',
  phase,
  environment,
  deploymentId: head.deploymentId ?? `${environment}:initial`,
  previousSnapshot: head.snapshot,
  snapshot: head.snapshot,
});
