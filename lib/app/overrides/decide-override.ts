import { ConvoyError, forbidden, notFound } from '#domain/core/errors.ts';
import type { Override } from '#domain/overrides/override.ts';
import { decide, expireOverride, type Decision } from '#domain/overrides/override-decision.ts';
import { overrideDraft } from '#store/freeze-items.ts';
import type { StoredOverride } from '#store/ports.ts';
import { requireAllowed, type Caller } from '../caller.ts';
import type { Deps } from '../deps.ts';
import { tryEdge } from './workflow-edge.ts';

export const requireOverride = async (deps: Deps, id: string): Promise<StoredOverride> => {
  const stored = await deps.store.overrides.get(id);
  if (!stored) throw notFound(`Override ${id} does not exist.`, { overrideId: id });
  return stored;
};

/** The override as it stands now: a request past its decision deadline, or an approval past its time box, is expired. */
export const currentOf = (stored: StoredOverride, at: string): Override =>
  expireOverride(stored.override, at);

const DECIDE_ATTEMPTS = 3;

/**
 * Record one decision (approve or reject) and resume the workflow's wait. Refusals: the requester
 * approving, or a principal not routed to the override → 403; a decided or expired request, or a second
 * approval by the same principal → 409. A request found past its deadline is recorded as expired first.
 */
export const decideOverride = async (
  deps: Deps,
  caller: Caller & { stored: NonNullable<Caller['stored']> },
  id: string,
  decision: Pick<Decision, 'verdict' | 'comment'>,
): Promise<Override> => {
  for (let attempt = 1; ; attempt += 1) {
    const stored = await requireOverride(deps, id);
    const current = currentOf(stored, caller.at);
    if (caller.principal !== current.requester) {
      requireAllowed(caller, 'override:decide', { approverRoles: current.approverRoles });
    }
    try {
      if (current !== stored.override) {
        // Found past its deadline: record the expiry; decide() then refuses the decision (409).
        await deps.store.overrides.update(
          current,
          stored.revision,
          overrideDraft('OverrideExpired', current, caller),
        );
      }
      const result = decide(
        current,
        { ...decision, by: caller.principal, at: caller.at },
        caller.stored.catalog,
      );
      if (!result.ok) {
        const context = { reason: result.code, overrideId: id, status: current.status };
        if (result.code === 'override.self-approval' || result.code === 'override.not-an-approver') {
          throw forbidden(result.message, context);
        }
        throw new ConvoyError('conflict', result.message, { context });
      }
      const type = {
        'approval-recorded': 'OverrideDecisionRecorded',
        approved: 'OverrideApproved',
        rejected: 'OverrideRejected',
      }[result.transition];
      const detail = {
        verdict: decision.verdict,
        by: caller.principal,
        ...(decision.comment === undefined ? {} : { comment: decision.comment }),
        approvals: result.override.approvals.length,
        approvalsRequired: result.override.approvalsRequired,
        ...(result.override.expiresAt === undefined ? {} : { expiresAt: result.override.expiresAt }),
      };
      const saved = await deps.store.overrides.update(
        result.override,
        stored.revision,
        overrideDraft(type, result.override, caller, detail),
      );
      const token = saved.taskToken;
      if (token !== undefined) {
        await tryEdge('sendTaskSuccess', () =>
          deps.workflows.sendTaskSuccess(token, {
            overrideId: id,
            status: saved.override.status,
            expiresAt: saved.override.expiresAt ?? null,
          }),
        );
      }
      return saved.override;
    } catch (error) {
      const raced =
        error instanceof ConvoyError &&
        error.code === 'conflict' &&
        error.context.overrideId === id &&
        !('reason' in error.context);
      if (!raced || attempt >= DECIDE_ATTEMPTS) throw error;
    }
  }
};
