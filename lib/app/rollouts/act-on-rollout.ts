import { z } from 'zod';
import { ConvoyError, isConvoyError } from '#domain/core/errors.ts';
import { nameSchema } from '#domain/core/names.ts';
import type { RolloutEvent } from '#domain/rollout/events.ts';
import { workflowGone } from '#domain/rollout/execution-end.ts';
import { mayBeQuiet } from '#domain/rollout/quiet-checks.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import { rolloutActions, type RolloutAction } from '#domain/rollout/operator-action-names.ts';
import { operatorAction, reasonRequired, type WaitAnswer } from '#domain/rollout/operator-actions.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import { requireAllowed, requireCatalog } from '../caller.ts';
import type { Deps } from '../deps.ts';
import { logger } from '../logger.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import { kickRollout } from './kick-rollout.ts';
import { answerWait } from './wait-tokens.ts';
import { appendDrafts } from './rollout-stream.ts';
import { rolloutView, type RolloutView } from '#api/rollout-view.ts';
import { actionReasonSchema } from '#api/rollouts.ts';

const actionInputSchema = z
  .strictObject({
    rolloutId: nameSchema,
    action: z.enum(rolloutActions),
    principal: z.string().min(1).max(512),
    reason: actionReasonSchema.optional(),
  })
  .refine((input) => input.reason !== undefined || !reasonRequired.includes(input.action), {
    path: ['reason'],
    message: 'is required to abort or reject; say why',
  });
export type RolloutActionInput = z.input<typeof actionInputSchema>;

const ATTEMPTS = 3;

const lostRace = (error: unknown): boolean =>
  isConvoyError(error) && error.code === 'conflict' && typeof error.context.lastSeq === 'number';

const refuse = (state: RolloutState, action: RolloutAction, needs: string): ConvoyError => {
  const phase = state.phases[state.currentPhaseIndex];
  const where = phase ? ` (phase ${phase.name} is ${phase.status})` : '';
  return new ConvoyError(
    'conflict',
    `Cannot ${action} rollout ${state.id}: it is ${state.status}${where}; ${action} needs ${needs}.`,
    {
      context: {
        rolloutId: state.id,
        action,
        rolloutStatus: state.status,
        phaseStatus: phase?.status ?? null,
      },
    },
  );
};

/** Resume the workflow's wait; a token that no longer waits is ignored, other failures only logged. */
const resumeWorkflow = async (deps: Deps, rolloutId: string, answer: WaitAnswer): Promise<void> => {
  const token = (await deps.store.rollouts.get(rolloutId))?.taskToken;
  if (token === undefined) return;
  try {
    await answerWait(deps, token, answer);
  } catch (error) {
    // The event is committed: the workflow reads it at its next step.
    logger.error('rollout workflow: sendTaskSuccess failed', { error: error as Error, rolloutId });
  }
};

/**
 * Kick the watching workflow; whether it appended to the stream. Failures are only logged: the
 * workflow reads the event when its quiet stretch ends.
 */
const kick = async (deps: Deps, state: RolloutState, at: string): Promise<boolean> => {
  try {
    return (await kickRollout(deps, state, at)) !== 'workflow-moved';
  } catch (error) {
    logger.error('rollout workflow: kick failed', { error: error as Error, rolloutId: state.id });
    return false;
  }
};

/**
 * An operator action (pause, resume, abort, promote, approve, reject) by a release manager: check it
 * fits the rollout's state (409 otherwise), append its event with its audit event (a lost race is re-read and re-checked),
 * then resume the workflow's wait when the action answers one, or kick the workflow when it
 * is watching a baking phase (it may be skipping Decide while the alarms stay the same) or when its
 * execution has ended (a fresh one resumes, or rolls back an abort).
 */
export const performRolloutAction = async (deps: Deps, input: RolloutActionInput): Promise<RolloutView> => {
  const { rolloutId, action, principal, reason } = parsePart(actionInputSchema, input, 'body');
  const caller = { principal, at: deps.now().toISOString(), stored: await deps.store.catalogs.getCatalog() };
  requireCatalog(caller);
  requireAllowed(caller, 'rollout:operate');
  return applyRolloutAction(deps, {
    rolloutId,
    action,
    principal,
    ...(reason === undefined ? {} : { reason }),
  });
};

/**
 * The action itself, for a caller already authorized (an operator above, or Convoy on a principal's
 * behalf: a flag kill pausing the rollouts that ramp the flag, pause-for-kill.ts).
 */
export const applyRolloutAction = async (
  deps: Deps,
  input: { rolloutId: string; action: RolloutAction; principal: string; reason?: string },
): Promise<RolloutView> => {
  const { rolloutId, action, principal, reason } = input;
  for (let attempt = 1; ; attempt += 1) {
    const events = await deps.store.rollouts.events(rolloutId);
    const state = reduceRollout(events);
    const outcome = operatorAction(state, action, principal, reason);
    if (!outcome.allowed) throw refuse(state, action, outcome.needs);
    const { draft } = outcome;
    const at = deps.now().toISOString();
    // Append after the newest stored event, even one the reduction ignored as an anomaly.
    const lastSeq = events.reduce((max, event) => Math.max(max, event.seq), state.lastSeq);
    const audit = {
      type: outcome.audit,
      at,
      actor: principal,
      subject: rolloutId,
      detail: { rolloutId, by: principal, ...(reason === undefined ? {} : { reason }) },
    };
    let next: RolloutState;
    try {
      next = await appendDrafts(deps, { ...state, lastSeq }, [draft], at, audit);
    } catch (error) {
      if (lostRace(error) && attempt < ATTEMPTS) continue;
      throw error;
    }
    // No execution left to answer (it failed or was stopped): a fresh one carries the action out.
    if ((mayBeQuiet(state) || workflowGone(state)) && (await kick(deps, next, at))) {
      const handedOver = await deps.store.rollouts.events(rolloutId);
      return rolloutView(reduceRollout(handedOver), handedOver);
    }
    if (outcome.resume !== undefined) await resumeWorkflow(deps, rolloutId, outcome.resume);
    const appended: RolloutEvent = { ...draft, at, seq: lastSeq + 1 };
    return rolloutView(next, [...events, appended]);
  }
};
