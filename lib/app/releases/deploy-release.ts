import { ConvoyError, forbidden, validationFailed } from '#domain/core/errors.ts';
import { problem } from '#domain/core/problem.ts';
import { snapshotChangeScope } from '#domain/freeze/change-scope.ts';
import type { InFlightContext } from '#domain/freeze/in-flight.ts';
import { planReleaseDeploy } from '#domain/releases/deploy-plan.ts';
import { planReleaseRollback, releaseEntry } from '#domain/releases/rollback-plan.ts';
import { overrideSignoffs, type SignoffOverride } from '#domain/releases/signoff-rules.ts';
import {
  commitGated,
  commitWithRetry,
  fingerprinted,
  type ChangeRequest,
  type ChangeResult,
} from '../deployments/change-environment.ts';
import type { Deps } from '../deps.ts';
import { environmentContextAt } from '../environments/environment-context.ts';
import { passFreezeGate } from '../freezes/freeze-gate.ts';
import { releaseCore, releaseSignoffs } from './release-context.ts';

export interface ReleaseDeployOptions {
  /** `--override-signoffs --reason ...`: a release manager goes ahead without every sign-off. */
  overrideSignoffsReason?: string;
  /** A rollout phase deploys the release as `rollout-phase` (the freeze gate's change kind). */
  kind?: 'deploy' | 'rollout-phase';
  inFlight?: InFlightContext;
  /** An override already granted (a release rollout's, checked when it started): each phase carries it. */
  signoffOverride?: SignoffOverride;
  /**
   * Exactly these bundle versions (`name@version`), not the release's latest: a release rollout pins
   * them when it starts, so a bundle pushed mid-rollout never enters a later phase.
   */
  bundles?: readonly string[];
}

/** The release manager's override, or 403 with why it is refused. */
const signoffOverrideOf = (
  change: ChangeRequest,
  reason: string | undefined,
): SignoffOverride | undefined => {
  if (reason === undefined) return undefined;
  const verdict = overrideSignoffs(change.catalog.catalog, change.principal, reason);
  if (!verdict.ok) throw forbidden(verdict.reason, { principal: change.principal });
  return verdict.override;
};

/**
 * Deploy every bundle of a release to one environment atomically: validated together against HEAD, in
 * plan order, into ONE snapshot, then ONE HEAD flip with one `release` deployment record and one
 * ReleaseDeployed audit event (store.environments.commit). Freezes, overrides, If-Match and
 * Idempotency-Key behave as for one bundle; sign-offs are required unless a release manager overrides.
 */
export const deployRelease = (
  deps: Deps,
  change: ChangeRequest,
  release: string,
  options: ReleaseDeployOptions = {},
): Promise<ChangeResult> => {
  const override = options.signoffOverride ?? signoffOverrideOf(change, options.overrideSignoffsReason);
  const request = fingerprinted(change, 'release-deploy', { release, overrideSignoffs: override?.reason });
  const { catalog } = request.catalog;
  return commitWithRetry(deps, request, async (head, opened) => {
    const core = await releaseCore(deps, catalog, release, opened.at, options.bundles);
    const [signoffs, context] = await Promise.all([
      releaseSignoffs(deps, core),
      environmentContextAt(deps, head, release),
    ]);
    const plan = planReleaseDeploy({
      release,
      catalog,
      environment: request.environment,
      head,
      snapshot: context.snapshot,
      services: context.services,
      bundles: core.sealed,
      signoffs,
      ...(override ? { override } : {}),
      principal: request.principal,
      at: opened.at,
      ...(request.idempotencyKey === undefined ? {} : { idempotencyKey: request.idempotencyKey }),
    });
    if (!plan.ok && plan.reason === 'invalid') {
      throw validationFailed(`${release} cannot be deployed to ${request.environment}.`, plan.problems);
    }
    if (!plan.ok && plan.reason === 'signoffs-missing') {
      const missing = problem('release.signoffs-missing', plan.message, { path: 'release' });
      throw validationFailed(`${release} is not signed off: ${plan.message}`, [missing]);
    }
    if (!plan.ok) throw new ConvoyError('already-deployed', plan.message, { context: { head } });
    await deps.store.snapshots.putSnapshot(plan.next);
    const gate = await passFreezeGate(deps, {
      ...opened,
      environment: request.environment,
      kind: options.kind ?? 'deploy',
      bundle: release,
      ...(options.inFlight === undefined ? {} : { inFlight: options.inFlight }),
      principal: request.principal,
      overrideId: request.overrideId,
      deploymentId: plan.deployment.id,
      scope: () => snapshotChangeScope(catalog, context.snapshot, plan.next),
    });
    return commitGated(deps, request, head, plan, gate);
  });
};

/** How far back the way into a release is looked for. */
const HISTORY = 1000;

/**
 * Restore the snapshot from before the release entered the environment (an atomic deploy, or its
 * first bundle deployed alone), as one HEAD flip with a rollback record and a ReleaseRolledBack event.
 */
export const rollbackRelease = (
  deps: Deps,
  change: ChangeRequest,
  release: string,
): Promise<ChangeResult> => {
  const request = fingerprinted(change, 'release-rollback', { release });
  const { catalog } = request.catalog;
  return commitWithRetry(deps, request, async (head, opened) => {
    const [core, deployments] = await Promise.all([
      releaseCore(deps, catalog, release, opened.at),
      deps.store.environments.listDeployments(request.environment, HISTORY),
    ]);
    const entry = releaseEntry(release, new Set(core.pushed.map((b) => b.name)), deployments);
    if (!entry) {
      const message = `${request.environment} holds nothing of ${release}; nothing to roll back`;
      throw new ConvoyError('conflict', message, { context: { head, reason: 'nothing-to-roll-back' } });
    }
    const plan = planReleaseRollback({
      environment: request.environment,
      head,
      deployment: entry,
      principal: request.principal,
      at: opened.at,
      ...(request.idempotencyKey === undefined ? {} : { idempotencyKey: request.idempotencyKey }),
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
        return snapshotChangeScope(catalog, before, after);
      },
    });
    return commitGated(deps, request, head, plan, gate);
  });
};
