import { z } from 'zod';
import { isConvoyError, notFound } from '#domain/core/errors.ts';
import { expireOverride } from '#domain/overrides/override-decision.ts';
import type { Override, OverrideStatus } from '#domain/overrides/override.ts';
import { overrideDraft } from '#store/freeze-items.ts';
import type { Deps } from '#app/deps.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { workflowHandler } from '../shared/workflow-handler.ts';

/** The principal of what the approval workflow records. */
export const OVERRIDE_WORKFLOW_PRINCIPAL = 'workflow:override-approval';

/** Why the workflow expires an override: no decision in time, the time box ended, or it failed (closed). */
export const expiryReasons = ['decision-timeout', 'time-box-ended', 'workflow-failed'] as const;
export type ExpiryReason = (typeof expiryReasons)[number];

const payloadSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('await'),
    overrideId: z.string().min(1),
    taskToken: z.string().min(1),
  }),
  z.strictObject({
    action: z.literal('expire'),
    overrideId: z.string().min(1),
    reason: z.enum(expiryReasons),
  }),
]);

/** What the workflow routes on (the same shape the API resumes a token with). */
export interface DecisionOutput {
  overrideId: string;
  status: OverrideStatus;
  expiresAt: string | null;
}

const output = (override: Override): DecisionOutput => ({
  overrideId: override.id,
  status: override.status,
  expiresAt: override.expiresAt ?? null,
});

/** Statuses each reason may end: a decision-timeout never ends an approval that won the race. */
const expirable: Record<ExpiryReason, readonly OverrideStatus[]> = {
  'decision-timeout': ['pending'],
  'time-box-ended': ['approved'],
  'workflow-failed': ['pending', 'approved'],
};

/**
 * The override as the workflow ends it: past its deadline the domain expires it (expiredAt = the
 * deadline); before it (the workflow's clock won: a timeout, a scaled local wait, a failure) it
 * expires now. Undefined when there is nothing to expire.
 */
export const expiryOf = (
  override: Override,
  reason: ExpiryReason,
  now: Date,
): { override: Override; expiredAt: string } | undefined => {
  if (!expirable[reason].includes(override.status)) return undefined;
  const due = expireOverride(override, now.toISOString());
  // Unchanged (not past its deadline yet) means no expiredAt: it expires now.
  const expiredAt = due.expiredAt ?? now.toISOString();
  return { override: { ...override, status: 'expired', expiredAt }, expiredAt };
};

/**
 * Store the task token of the workflow's current wait. A decision that was recorded before the token
 * (its resume went to the previous token, or to none) is not lost: the wait resumes itself at once.
 */
const awaitDecision = async (deps: Deps, overrideId: string, taskToken: string): Promise<DecisionOutput> => {
  const { override } = await deps.store.overrides.setTaskToken(overrideId, taskToken);
  if (override.status !== 'pending') {
    try {
      await deps.workflows.sendTaskSuccess(taskToken, { ...output(override) });
    } catch (error) {
      // The API resumed this token first: the workflow has the same decision.
      if (!(isConvoyError(error) && error.context.staleTaskToken === true)) throw error;
    }
  }
  return output(override);
};

/** Expire the override if `reason` may end its status; a lost race re-reads (3 attempts). */
const expire = async (
  deps: Deps,
  overrideId: string,
  reason: ExpiryReason,
  attempt = 1,
): Promise<DecisionOutput> => {
  const stored = await deps.store.overrides.get(overrideId);
  if (!stored) throw notFound(`Override ${overrideId} does not exist.`, { overrideId });
  const now = deps.now();
  const expiry = expiryOf(stored.override, reason, now);
  if (expiry === undefined) return output(stored.override);
  const actor = { principal: OVERRIDE_WORKFLOW_PRINCIPAL, at: now.toISOString() };
  const draft = overrideDraft('OverrideExpired', expiry.override, actor, {
    reason,
    expiredAt: expiry.expiredAt,
    previousStatus: stored.override.status,
  });
  try {
    await deps.store.overrides.update(expiry.override, stored.revision, draft);
    return output(expiry.override);
  } catch (error) {
    if (!(isConvoyError(error) && error.code === 'conflict') || attempt >= 3) throw error;
    return expire(deps, overrideId, reason, attempt + 1);
  }
};

/** The override-approval workflow's task: `await` a decision (store the token) or `expire` the override. */
export const make = workflowHandler(payloadSchema, (payload, deps) =>
  payload.action === 'await'
    ? awaitDecision(deps, payload.overrideId, payload.taskToken)
    : expire(deps, payload.overrideId, payload.reason),
);

export const handler = onLambda(make);
