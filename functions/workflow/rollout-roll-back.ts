import { z } from 'zod';
import { conflict, notFound } from '#domain/core/errors.ts';
import { deploymentId, parseDeploymentId } from '#domain/environments/head.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import { workflowClock, workflowNowSchema } from '#domain/rollout/workflow-time.ts';
import { publishAfterCommit } from '#app/sinks/sync-sink.ts';
import { rollbackEnvironment } from '#app/deployments/change-environment.ts';
import { appendDrafts, loadRollout, ROLLOUT_WORKFLOW_PRINCIPAL } from '#app/rollouts/rollout-stream.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { workflowHandler } from '../shared/workflow-handler.ts';

const payloadSchema = z.strictObject({
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

/** The reason, with a failed function's own message when the cause carries one. */
export const rollbackReason = ({ value, cause }: { value: string; cause?: string | undefined }): string => {
  if (cause === undefined) return value;
  let message: unknown = cause;
  try {
    message = (JSON.parse(cause) as { errorMessage?: unknown }).errorMessage ?? cause;
  } catch {
    // Not a function's JSON cause (a service error's text): keep it as it is.
  }
  return `${value}: ${String(message)}`.slice(0, 2000);
};

/**
 * The deployment whose snapshot the environment had before this rollout first deployed to it: the
 * record just before the rollout's first deployment there (none: the initial, empty state).
 */
const restoreTarget = (state: RolloutState, environment: string): string | undefined => {
  const first = state.phases.flatMap((p) => p.deployments).find((d) => d.environment === environment);
  const version = first ? parseDeploymentId(first.deploymentId)?.headVersion : undefined;
  return version !== undefined && version > 1 ? deploymentId(environment, version - 1) : undefined;
};

/**
 * Roll Back: flip every environment the rollout deployed back to the snapshot it had before the
 * rollout, newest phase first, through the platform's rollback path (freeze, audit). Idempotent: the
 * reduced plan lists only what is left, each flip has an idempotency key, and an environment already
 * back on its snapshot counts as restored.
 */
export const make = workflowHandler(payloadSchema, async ({ rolloutId, reason: why, now }, deps) => {
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
});

export const handler = onLambda(make);
