import { z } from 'zod';
import { conflict, notFound } from '#domain/core/errors.ts';
import { restoreTarget, rollbackReason } from '#domain/rollout/roll-back.ts';
import type { RolloutStatus } from '#domain/rollout/state.ts';
import { workflowClock, workflowNowSchema } from '#domain/rollout/workflow-time.ts';
import { rollbackEnvironment } from '../deployments/change-environment.ts';
import type { Deps } from '../deps.ts';
import { publishAfterCommit } from '../sinks/sync-sink.ts';
import { appendDrafts, loadRollout, ROLLOUT_WORKFLOW_PRINCIPAL } from './rollout-stream.ts';

/** Roll Back's input. */
export const rollBackInputSchema = z.strictObject({
  rolloutId: z.string().min(1),
  /**
   * Why: `value`, and for a failed task the Catch's error output `failure` (its `Cause`, when there is
   * one, is a function's `{ errorMessage }` JSON or a service's text) or that cause alone.
   */
  reason: z.object({
    value: z.string().min(1).max(2000),
    cause: z.string().optional(),
    failure: z.object({ Cause: z.string().optional() }).optional(),
  }),
  /** Workflow time (`$$.State.EnteredTime`), for the rollout's events; absent: deps.now. */
  now: workflowNowSchema.optional(),
});

/**
 * Roll Back: flip every environment the rollout deployed back to the snapshot it had before the
 * rollout, newest phase first, through the platform's rollback path (freeze, audit). Idempotent: the
 * reduced plan lists only what is left, each flip has an idempotency key, and an environment already
 * back on its snapshot counts as restored.
 */
export const rollBackRollout = async (
  deps: Deps,
  { rolloutId, reason: why, now }: z.infer<typeof rollBackInputSchema>,
): Promise<{ status: RolloutStatus }> => {
  const reason = rollbackReason({ value: why.value, cause: why.cause ?? why.failure?.Cause });
  let { state } = await loadRollout(deps, rolloutId);
  // The restores go by the calendar (freezes, deployment records); the rollout's events by workflow time.
  const at = () => deps.now().toISOString();
  const workflow = workflowClock(now, deps.now);
  const eventAt = (): string => workflow().toISOString();
  if (state.status !== 'rolling-back' && !['rolled-back', 'aborted'].includes(state.status))
    state = await appendDrafts(deps, state, [{ type: 'RollbackStarted', reason }], eventAt());
  if (state.status !== 'rolling-back') return { status: state.status };
  const catalog = await deps.store.catalogs.getCatalog();
  if (!catalog) throw notFound('No catalog has been stored.');
  for (const step of [...state.rollbackPlan]) {
    const request = {
      environment: step.environment,
      principal: ROLLOUT_WORKFLOW_PRINCIPAL,
      at: at(),
      catalog,
      idempotencyKey: `${rolloutId}:rollback:${step.environment}`,
    };
    const head = await deps.store.environments.getHead(step.environment);
    let id = head?.deploymentId ?? step.deploymentId;
    // Already back on its snapshot (a retry after the flip, or an operator was first): nothing to flip.
    if (head?.snapshot !== step.restoreSnapshot) {
      const target = restoreTarget(state, step.environment);
      if (target === undefined && head?.deploymentId !== step.deploymentId) {
        throw conflict(
          `${step.environment} changed after this rollout deployed to it; restore it by hand (convoy rollback).`,
          { environment: step.environment, restoreSnapshot: step.restoreSnapshot },
        );
      }
      const { deployment } = await rollbackEnvironment(deps, request, target);
      id = deployment.id;
      // An AppConfig-bound environment gets its restored configuration too (a lag `convoy sync` heals).
      await publishAfterCommit(deps, catalog.catalog, deployment);
    }
    const draft = {
      type: 'PhaseRolledBack',
      phase: step.phase,
      environment: step.environment,
      deploymentId: id,
    } as const;
    state = await appendDrafts(deps, state, [draft], eventAt());
  }
  state = await appendDrafts(deps, state, [{ type: 'RolledBack' }], eventAt());
  return { status: state.status };
};
