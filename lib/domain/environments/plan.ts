import type { AuditDraft } from '../audit/event.ts';
import type { SealedBundle } from '../bundles/bundle.ts';
import { snapshotHash } from '../bundles/snapshot.ts';
import type { Snapshot } from '../bundles/snapshot.ts';
import { validateSealedBundle } from '../bundles/validate-bundle.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { formatBundleRef } from '../core/names.ts';
import type { Problem } from '../core/problem.ts';
import { flipRecord } from './flip-record.ts';
import { deploymentId } from './head.ts';
import type { DeploymentRecord, Head } from './head.ts';

export interface DeployInput {
  catalog: Catalog;
  environment: string;
  head: Head;
  /** The snapshot HEAD points at. */
  snapshot: Snapshot;
  bundle: SealedBundle;
  services: Record<string, string>;
  releaseBundles: readonly SealedBundle[];
  principal: string;
  at: string;
  idempotencyKey?: string;
}

export type DeployPlan =
  | { ok: false; reason: 'invalid'; problems: Problem[] }
  | { ok: false; reason: 'already-deployed'; message: string }
  | { ok: true; next: Snapshot; nextHash: string; deployment: DeploymentRecord; audit: AuditDraft };

/**
 * Plan a deploy: the bundle must not be applied already and must pass every rule against the
 * environment; then the next snapshot, the record of the HEAD flip and its audit event.
 */
export function planDeploy(input: DeployInput): DeployPlan {
  const { bundle: sealed, environment, head } = input;
  const ref = formatBundleRef(sealed.bundle);
  const applied = input.snapshot.bundles.find(
    (b) => b.name === sealed.bundle.name && b.version === sealed.bundle.version,
  );
  if (applied?.hash === sealed.hash) {
    return { ok: false, reason: 'already-deployed', message: `${ref} is already deployed to ${environment}` };
  }
  const validation = validateSealedBundle(sealed, {
    catalog: input.catalog,
    environment,
    snapshot: input.snapshot,
    services: input.services,
    releaseBundles: input.releaseBundles,
  });
  // A valid result for a known environment always carries the next snapshot.
  if (!validation.ok || validation.next === undefined) {
    return { ok: false, reason: 'invalid', problems: validation.problems };
  }
  const { next } = validation;
  const nextHash = snapshotHash(next);
  const deployment: DeploymentRecord = {
    ...flipRecord({ ...input, snapshot: nextHash }),
    kind: 'deploy',
    bundle: { name: sealed.bundle.name, version: sealed.bundle.version, hash: sealed.hash },
  };
  const { headVersion } = deployment;
  const audit: AuditDraft = {
    type: 'BundleDeployed',
    at: input.at,
    actor: input.principal,
    subject: environment,
    detail: {
      deploymentId: deployment.id,
      bundle: ref,
      hash: sealed.hash,
      previousSnapshot: head.snapshot,
      snapshot: nextHash,
      headVersion,
    },
  };
  return { ok: true, next, nextHash, deployment, audit };
}

export interface RollbackInput {
  environment: string;
  head: Head;
  /** The record of HEAD's deployment. */
  current?: DeploymentRecord;
  /** The deployment named with --to: its snapshot becomes live again. */
  target?: DeploymentRecord;
  principal: string;
  at: string;
  idempotencyKey?: string;
}

export type RollbackPlan =
  | { ok: false; reason: 'nothing-to-roll-back' | 'same-snapshot'; message: string }
  | { ok: true; snapshot: string; deployment: DeploymentRecord; audit: AuditDraft };

/**
 * Plan a rollback: to the state right after `target`, or, without one, to the state before HEAD's
 * deployment. Rolling back is itself a HEAD flip with its own record.
 */
export function planRollback(input: RollbackInput): RollbackPlan {
  const { environment, head, target, current } = input;
  const from = target ?? current;
  if (!from) {
    return {
      ok: false,
      reason: 'nothing-to-roll-back',
      message: `${environment} has no deployment to roll back`,
    };
  }
  const snapshot = target ? target.snapshot : from.previousSnapshot;
  if (snapshot === head.snapshot) {
    const what = target ? `the snapshot of ${target.id}` : `the snapshot before ${from.id}`;
    return {
      ok: false,
      reason: 'same-snapshot',
      message: `${environment} already runs ${what}; nothing changes`,
    };
  }
  const headVersion = head.version + 1;
  // The record at version n set the HEAD that the record at n + 1 replaced, so it produced
  // current.previousSnapshot; version 0 is the initial, empty state and has no record.
  const restored =
    target?.id ?? (from.headVersion > 1 ? deploymentId(environment, from.headVersion - 1) : undefined);
  const deployment: DeploymentRecord = {
    ...flipRecord({ ...input, snapshot }),
    kind: 'rollback',
    ...(restored === undefined ? {} : { rolledBackTo: restored }),
    ...(current === undefined ? {} : { undoes: current.id }),
  };
  const audit: AuditDraft = {
    type: 'EnvironmentRolledBack',
    at: input.at,
    actor: input.principal,
    subject: environment,
    detail: {
      deploymentId: deployment.id,
      rolledBackTo: restored ?? null,
      undoes: current?.id ?? null,
      previousSnapshot: head.snapshot,
      snapshot,
      headVersion,
    },
  };
  return { ok: true, snapshot, deployment, audit };
}
