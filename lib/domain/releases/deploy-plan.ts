import type { AuditDraft } from '../audit/event.ts';
import type { SealedBundle } from '../bundles/bundle.ts';
import { snapshotHash } from '../bundles/snapshot.ts';
import type { AppliedBundle, Snapshot } from '../bundles/snapshot.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { formatBundleRef } from '../core/names.ts';
import { problem } from '../core/problem.ts';
import { flipRecord } from '../environments/flip-record.ts';
import type { DeploymentRecord, Head } from '../environments/head.ts';
import { signoffGate } from './signoff-rules.ts';
import type { SignoffOverride } from './signoff-rules.ts';
import type { SignoffStatus } from './signoff.ts';
import { validateReleaseTogether } from './validate-together.ts';
import type { ReleaseProblem } from './validate-together.ts';

/** One HEAD flip that applied a whole release: one record listing its bundles. */
export interface ReleaseDeploymentRecord extends Omit<DeploymentRecord, 'kind' | 'bundle'> {
  kind: 'release';
  release: string;
  /** The bundles this flip applied, in order (those already live are not listed). */
  bundles: AppliedBundle[];
  signoffOverride?: SignoffOverride;
}

export interface ReleaseDeployInput {
  release: string;
  catalog: Catalog;
  environment: string;
  head: Head;
  /** The snapshot HEAD points at. */
  snapshot: Snapshot;
  services: Record<string, string>;
  /** The release's bundles in plan order. */
  bundles: readonly SealedBundle[];
  signoffs: SignoffStatus;
  override?: SignoffOverride;
  principal: string;
  at: string;
  idempotencyKey?: string;
}

export type ReleaseDeployPlan =
  | { ok: false; reason: 'invalid'; problems: ReleaseProblem[] }
  | { ok: false; reason: 'signoffs-missing' | 'already-deployed'; message: string }
  | {
      ok: true;
      next: Snapshot;
      nextHash: string;
      deployment: ReleaseDeploymentRecord;
      audit: AuditDraft;
    };

/**
 * Plan an atomic release deploy: sign-offs (or an override), then every bundle validated together;
 * the result is one snapshot, one record and one audit event, so the store flips HEAD once and
 * readers see all of the release or none of it.
 */
export function planReleaseDeploy(input: ReleaseDeployInput): ReleaseDeployPlan {
  const { release, environment, head } = input;
  if (input.bundles.length === 0) {
    const empty = problem('release.empty', `no bundle is labelled ${release}`);
    return { ok: false, reason: 'invalid', problems: [empty] };
  }
  const gate = signoffGate(input.signoffs, input.override);
  if (!gate.ok) return { ok: false, reason: 'signoffs-missing', message: gate.reason };
  const validation = validateReleaseTogether(input.bundles, environment, input.catalog, {
    snapshot: input.snapshot,
    services: input.services,
  });
  // A valid result for a known environment always carries the next snapshot.
  if (!validation.ok || validation.next === undefined) {
    return { ok: false, reason: 'invalid', problems: validation.problems };
  }
  if (validation.applied.length === 0) {
    const message = `every bundle of ${release} is already deployed to ${environment}`;
    return { ok: false, reason: 'already-deployed', message };
  }
  const { next } = validation;
  const nextHash = snapshotHash(next);
  const bundles = validation.applied.map(({ bundle, hash }) => ({
    name: bundle.name,
    version: bundle.version,
    hash,
  }));
  const deployment: ReleaseDeploymentRecord = {
    ...flipRecord({ ...input, snapshot: nextHash }),
    kind: 'release',
    release,
    bundles,
    ...(gate.override ? { signoffOverride: gate.override } : {}),
  };
  const { headVersion } = deployment;
  const audit: AuditDraft = {
    type: 'ReleaseDeployed',
    at: input.at,
    actor: input.principal,
    subject: environment,
    detail: {
      deploymentId: deployment.id,
      release,
      bundles: bundles.map(formatBundleRef),
      hashes: bundles.map((b) => b.hash),
      previousSnapshot: head.snapshot,
      snapshot: nextHash,
      headVersion,
      // What the compliance report shows of an override: who, why, and what it went ahead without.
      signoffOverride: gate.override
        ? {
            principal: gate.override.principal,
            reason: gate.override.reason,
            unsignedTeams: input.signoffs.teams.filter((t) => t.state !== 'signed').map((t) => t.team),
            approved: input.signoffs.approval.state === 'signed',
          }
        : null,
    },
  };
  return { ok: true, next, nextHash, deployment, audit };
}
