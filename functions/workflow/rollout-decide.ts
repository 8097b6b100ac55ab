import { z } from 'zod';
import { workflowClock, workflowNowSchema } from '#domain/rollout/workflow-time.ts';
import { decideCheck, decideInputSchema } from '#app/rollouts/decide-check.ts';
import { appendDrafts, continuationName, loadRollout } from '#app/rollouts/rollout-stream.ts';
import { resumeOwnToken } from '#app/rollouts/wait-tokens.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { workflowHandler } from '../shared/workflow-handler.ts';

const rolloutId = z.string().min(1);
/** Workflow time (`$$.State.EnteredTime`): bakes, timeouts and the rollout's events; absent: deps.now. */
const now = workflowNowSchema.optional();

const payloadSchema = z.discriminatedUnion('action', [
  decideInputSchema,
  z.strictObject({ action: z.literal('succeed'), rolloutId, now }),
  z.strictObject({
    action: z.literal('await'),
    rolloutId,
    taskToken: z.string().min(1),
    gate: z.enum(['resume', 'approval']),
  }),
  // Executions started before the approval gate joined the loop still time their gate out here.
  z.strictObject({ action: z.literal('approval-timeout'), rolloutId }),
  z.strictObject({
    action: z.literal('continue-as-new'),
    rolloutId,
    execution: z.string().min(1).max(80),
    now,
  }),
]);

/** The progressive-rollout workflow's decisions, its waits' task tokens, and its success. */
export const make = workflowHandler(payloadSchema, async (payload, deps) => {
  if (payload.action === 'decide') return decideCheck(deps, payload);
  if (payload.action === 'await') {
    await deps.store.rollouts.setTaskToken(payload.rolloutId, payload.taskToken);
    await resumeOwnToken(deps, payload.rolloutId, payload.taskToken, payload.gate);
    return { action: 'await' };
  }
  const { state } = await loadRollout(deps, payload.rolloutId);
  const at = workflowClock('now' in payload ? payload.now : undefined, deps.now)().toISOString();
  if (payload.action === 'continue-as-new') {
    const executionName = continuationName(payload.execution);
    if (state.executionName !== executionName)
      await appendDrafts(deps, state, [{ type: 'ContinuedAsNew', executionName }], at);
    return { action: 'continue-as-new', executionName };
  }
  if (payload.action === 'approval-timeout') {
    const phase = state.currentPhase ?? '';
    if (state.status === 'awaiting-approval')
      await appendDrafts(deps, state, [{ type: 'ApprovalTimedOut', phase }], at);
    return { action: 'rollback' };
  }
  if (state.status !== 'succeeded') await appendDrafts(deps, state, [{ type: 'Succeeded' }], at);
  return { action: 'succeed' };
});

export const handler = onLambda(make);
