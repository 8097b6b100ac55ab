import { randomBytes } from 'node:crypto';
import { ConvoyError, forbidden, notFound, validationFailed } from '#domain/core/errors.ts';
import { stricter, type ChangeKind, type FreezeLevel } from '#domain/freeze/change-kind.ts';
import { bundleScope } from '#domain/freeze/change-scope.ts';
import { compileWindows } from '#domain/freeze/freeze-status.ts';
import {
  createOverride,
  OVERRIDE_DECISION_TIMEOUT_MS,
  type Override,
  type OverrideRequest,
} from '#domain/overrides/override.ts';
import { decide, expireOverride, type Decision } from '#domain/overrides/override-decision.ts';
import { overrideDraft } from '#store/freeze-items.ts';
import type { StoredOverride } from '#store/ports.ts';
import { requireAllowed, type Caller } from './caller.ts';
import type { Deps } from '#app/deps.ts';
import { requireEnvironment } from './environment-context.ts';
import { logger } from './logger.ts';

const newId = (): string => `ovr-${randomBytes(6).toString('hex')}`;

/** Best effort: the override works without its workflow (decisions come through the API, expiry is lazy). */
const tryEdge = async (what: string, call: () => Promise<unknown>): Promise<void> => {
  try {
    await call();
  } catch (error) {
    logger.error(`override workflow: ${what} failed`, { error: error as Error });
  }
};

/**
 * `POST /overrides`: the scope (a pushed bundle's namespaces, or change kinds over every namespace), the
 * strictest level in force for it now (hard when nothing applies yet: an override requested ahead of a
 * freeze must pass any window), routing, then the request and its approval workflow.
 */
export const requestOverride = async (
  deps: Deps,
  caller: Caller & { stored: NonNullable<Caller['stored']> },
  request: OverrideRequest,
): Promise<Override> => {
  const { catalog } = caller.stored;
  requireEnvironment(catalog, request.environment);
  let scope: { namespaces: string[]; teams?: string[] } = { namespaces: [] };
  let kinds: ChangeKind[] = request.changeKinds ?? ['deploy'];
  if (request.bundle !== undefined) {
    const at = request.bundle.lastIndexOf('@');
    const stored = await deps.store.bundles.getBundle(
      request.bundle.slice(0, at),
      request.bundle.slice(at + 1),
    );
    if (!stored) throw notFound(`Bundle ${request.bundle} has not been pushed.`, { bundle: request.bundle });
    scope = bundleScope(catalog, stored.sealed.bundle);
    kinds = ['deploy'];
  }
  requireAllowed(caller, 'override:request', { namespaces: scope.namespaces });
  const compiled = compileWindows(await deps.store.freezes.listWindows());
  const query = { environment: request.environment, ...(request.bundle === undefined ? {} : scope) };
  const level = kinds
    .map((kind) => compiled.status({ ...query, kind }, caller.at).level)
    .reduce<FreezeLevel | null>(stricter, null);
  const context = {
    id: newId(),
    requester: caller.principal,
    at: caller.at,
    level: level ?? 'hard',
    namespaces: scope.namespaces,
  };
  const created = createOverride(request, context, catalog);
  if (!created.ok)
    throw validationFailed('The override cannot be routed to enough approvers.', created.problems);
  await deps.store.overrides.create(created.override, caller);
  await tryEdge('start', () =>
    deps.workflows.start({
      workflow: 'override-approval',
      name: created.override.id,
      input: { overrideId: created.override.id, decisionTimeoutSeconds: OVERRIDE_DECISION_TIMEOUT_MS / 1000 },
    }),
  );
  return created.override;
};

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
