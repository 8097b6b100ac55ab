import type { AuditDraft } from '#domain/audit/event.ts';
import { ConvoyError, isConvoyError, notFound, validationFailed } from '#domain/core/errors.ts';
import { formatBundleRef, type BundleRef } from '#domain/core/names.ts';
import type { DeploymentRecord, Head } from '#domain/environments/head.ts';
import { planDeploy, planRollback } from '#domain/environments/plan.ts';
import type { InFlightContext } from '#domain/freeze/in-flight.ts';
import { bundleScope, snapshotChangeScope } from '#domain/freeze/change-scope.ts';
import { requestFingerprint } from '#store/idempotency.ts';
import type { StoredCatalog } from '#store/ports.ts';
import type { Deps } from '../deps.ts';
import {
  environmentContextAt,
  requireEnvironment,
  requireHead,
} from '../environments/environment-context.ts';
import { openGate, passFreezeGate, type GatePass, type OpenGate } from '../freezes/freeze-gate.ts';

export interface ChangeRequest {
  environment: string;
  principal: string;
  /** When the request came: the Idempotency-Key's window counts from here (the record's time is the commit's). */
  at: string;
  catalog: StoredCatalog;
  idempotencyKey?: string;
  /** If-Match: the HEAD version the caller saw. */
  expectedVersion?: number;
  /** The emergency override that lets the change through a freeze. */
  overrideId?: string;
  /** A rollout phase in flight: windows that began mid-rollout apply their inFlight policy. */
  inFlight?: InFlightContext;
}

export interface ChangeResult {
  deployment: DeploymentRecord;
  head: Head;
}

/**
 * Lost races where only the audit position moved (a service report), or a guard of the commit failed
 * (the freeze calendar, the environment's activation or the override changed since they were read), are
 * retried: the freeze is evaluated again. HEAD moves are not retried.
 */
const ATTEMPTS = 4;

const guardFailed = (error: unknown): boolean =>
  isConvoyError(error) && error.code === 'conflict' && Array.isArray(error.context.failedGuards);

/** The record and audit event as committed, with the freeze gate's facts. */
const gated = (deployment: DeploymentRecord, audit: AuditDraft, gate: GatePass) => ({
  deployment: gate.overrideId === undefined ? deployment : { ...deployment, overrideId: gate.overrideId },
  audit: { ...audit, detail: { ...audit.detail, ...gate.detail } },
  guards: gate.guards,
});

/**
 * What an Idempotency-Key is bound to: the route (deploy, rollout phase, rollback; the environment is
 * the key's scope), the canonical body and the principal.
 */
export type Fingerprinted = ChangeRequest & { requestHash: string };

export const fingerprinted = (
  request: ChangeRequest,
  route:
    | 'deploy'
    | 'rollout-phase'
    | 'rollback'
    | 'flag-kill-switch'
    | 'flag-step'
    | 'release-deploy'
    | 'release-rollback',
  body: Record<string, string | undefined>,
): Fingerprinted => ({
  ...request,
  requestHash: requestFingerprint({
    route,
    body: { ...body, override: request.overrideId },
    principal: request.principal,
  }),
});

/** Flip HEAD from `head` in one transaction, with the planned record and audit event as gated. */
export const commitGated = async (
  deps: Deps,
  request: Fingerprinted,
  head: Head,
  plan: { deployment: DeploymentRecord; audit: AuditDraft },
  gate: GatePass,
): Promise<ChangeResult> => {
  const committed = await deps.store.environments.commit({
    environment: request.environment,
    expected: head,
    ...gated(plan.deployment, plan.audit, gate),
    idempotencyKey: request.idempotencyKey,
    requestHash: request.requestHash,
  });
  return { deployment: committed.deployment, head: committed.head };
};

const checkExpected = (head: Head, expectedVersion: number | undefined): void => {
  if (expectedVersion !== undefined && head.version !== expectedVersion) {
    throw new ConvoyError(
      'precondition-failed',
      `HEAD of ${head.environment} is at version ${head.version}, not ${expectedVersion}; re-read and retry.`,
      { context: { head } },
    );
  }
};

/** The original answer to this very request under its key (24 h); another request is refused (422). */
const replayed = async (deps: Deps, request: Fingerprinted): Promise<ChangeResult | undefined> => {
  if (request.idempotencyKey === undefined) return undefined;
  const original = await deps.store.environments.replay(request.environment, request.idempotencyKey, {
    requestHash: request.requestHash,
    at: request.at,
  });
  return original && { deployment: original.deployment, head: original.head };
};

/**
 * One attempt reads HEAD once, and the freeze guard once before it takes its time (openGate): the
 * plan, the freeze gate, the record and its audit event all carry that `at`. An attempt may answer
 * something else than a commit (`R`, e.g. a kill switch already in position: nothing to commit).
 */
export const commitWithRetry = async <R = ChangeResult>(
  deps: Deps,
  request: Fingerprinted,
  attempt: (head: Head, gate: OpenGate) => Promise<R>,
): Promise<R | ChangeResult> => {
  requireEnvironment(request.catalog.catalog, request.environment);
  const previous = await replayed(deps, request);
  if (previous) return previous;
  for (let i = 1; ; i += 1) {
    const head = await requireHead(deps, request.environment);
    checkExpected(head, request.expectedVersion);
    try {
      return await attempt(head, await openGate(deps, request.environment));
    } catch (error) {
      const current =
        isConvoyError(error) && error.code === 'conflict'
          ? (error.context.head as Head | undefined)
          : undefined;
      const onlyAuditMoved = current !== undefined && current.version === head.version;
      if (guardFailed(error) && i >= ATTEMPTS) {
        throw new ConvoyError(
          'conflict',
          `The freeze state of ${request.environment} kept changing while committing; retry.`,
        );
      }
      if (!(onlyAuditMoved || guardFailed(error)) || i >= ATTEMPTS) throw error;
    }
  }
};

/**
 * Validate, write the next snapshot, then flip HEAD in one transaction (store.commit). `kind` is the
 * change kind the freeze gate judges: a progressive rollout deploys its phases as `rollout-phase`.
 */
export const deployBundle = (
  deps: Deps,
  change: ChangeRequest,
  ref: BundleRef,
  kind: 'deploy' | 'rollout-phase' = 'deploy',
): Promise<ChangeResult> => {
  const request = fingerprinted(change, kind, { bundle: formatBundleRef(ref) });
  return commitWithRetry(deps, request, async (head, opened) => {
    const { at } = opened;
    const stored = await deps.store.bundles.getBundle(ref.name, ref.version);
    if (!stored) throw notFound(`Bundle ${ref.name}@${ref.version} has not been pushed.`, { bundle: ref });
    const context = await environmentContextAt(deps, head, stored.sealed.bundle.release);
    const plan = planDeploy({
      catalog: request.catalog.catalog,
      environment: request.environment,
      head,
      snapshot: context.snapshot,
      bundle: stored.sealed,
      services: context.services,
      releaseBundles: context.releaseBundles,
      principal: request.principal,
      at,
      idempotencyKey: request.idempotencyKey,
    });
    if (!plan.ok && plan.reason === 'invalid') {
      throw validationFailed(
        `${ref.name}@${ref.version} cannot be deployed to ${request.environment}.`,
        plan.problems,
      );
    }
    if (!plan.ok) throw new ConvoyError('already-deployed', plan.message, { context: { head } });
    await deps.store.snapshots.putSnapshot(plan.next);
    const gate = await passFreezeGate(deps, {
      ...opened,
      environment: request.environment,
      kind,
      bundle: formatBundleRef(ref),
      ...(request.inFlight === undefined ? {} : { inFlight: request.inFlight }),
      principal: request.principal,
      overrideId: request.overrideId,
      deploymentId: plan.deployment.id,
      scope: () => bundleScope(request.catalog.catalog, stored.sealed.bundle),
    });
    return commitGated(deps, request, head, plan, gate);
  });
};

/** Flip HEAD back to the previous snapshot, or to the one a named deployment produced. */
export const rollbackEnvironment = (
  deps: Deps,
  change: ChangeRequest,
  to?: string,
): Promise<ChangeResult> => {
  const request = fingerprinted(change, 'rollback', { to });
  return commitWithRetry(deps, request, async (head, opened) => {
    const { at } = opened;
    const [current, target] = await Promise.all([
      head.deploymentId
        ? deps.store.environments.getDeployment(request.environment, head.deploymentId)
        : undefined,
      to === undefined ? undefined : deps.store.environments.getDeployment(request.environment, to),
    ]);
    if (to !== undefined && !target)
      throw notFound(`Deployment ${to} does not exist in ${request.environment}.`);
    const plan = planRollback({
      environment: request.environment,
      head,
      current,
      target,
      principal: request.principal,
      at,
      idempotencyKey: request.idempotencyKey,
    });
    if (!plan.ok) throw new ConvoyError('conflict', plan.message, { context: { head, reason: plan.reason } });
    const gate = await passFreezeGate(deps, {
      ...opened,
      environment: request.environment,
      kind: 'rollback',
      principal: request.principal,
      overrideId: request.overrideId,
      deploymentId: plan.deployment.id,
      scope: async () => {
        const [before, after] = await Promise.all([
          deps.store.snapshots.getSnapshot(head.snapshot),
          deps.store.snapshots.getSnapshot(plan.snapshot),
        ]);
        return snapshotChangeScope(request.catalog.catalog, before, after);
      },
    });
    return commitGated(deps, request, head, plan, gate);
  });
};
