import { isConvoyError, notFound } from '#domain/core/errors.ts';
import type { Override, OverrideStatus } from '#domain/overrides/override.ts';
import { expiryOf, type ExpiryReason } from '#domain/overrides/override-expiry.ts';
import { overrideDraft } from '#store/freeze-items.ts';
import type { Deps } from '../deps.ts';

/** The principal of what the approval workflow records. */
export const OVERRIDE_WORKFLOW_PRINCIPAL = 'workflow:override-approval';

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

/**
 * Store the task token of the workflow's current wait. A decision that was recorded before the token
 * (its resume went to the previous token, or to none) is not lost: the wait resumes itself at once.
 */
export const awaitDecision = async (
  deps: Deps,
  overrideId: string,
  taskToken: string,
): Promise<DecisionOutput> => {
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
export const expire = async (
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
