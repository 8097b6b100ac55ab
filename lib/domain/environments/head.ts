import type { ChainPosition } from '../audit/event.ts';
import type { DeploymentSinks } from './sink-status.ts';

/**
 * An environment's HEAD: which snapshot is live. `version` counts flips (0 before the first deploy);
 * the audit fields are the environment chain's last position.
 */
export interface Head {
  environment: string;
  version: number;
  /** Content hash of the live snapshot. */
  snapshot: string;
  deploymentId?: string;
  updatedAt?: string;
  audit: ChainPosition;
}

/**
 * `flag-kill-switch`: one flag's `killed` flipped; `flag-step`: a rollout's flag phase changed one
 * flag's split (plan-flag-step.ts); `release`: one flip that applied every bundle of a release
 * (lib/domain/releases/deploy-plan.ts).
 */
export type DeploymentKind = 'deploy' | 'rollback' | 'flag-kill-switch' | 'flag-step' | 'release';

/** The record of one HEAD flip. */
export interface DeploymentRecord {
  id: string;
  environment: string;
  kind: DeploymentKind;
  /** HEAD version this flip produced. */
  headVersion: number;
  bundle?: { name: string; version: string; hash: string };
  /**
   * For kill switches: the flag, its new position and why; for flag steps: the flag ramped and its
   * target variant's share after the step.
   */
  flag?: { key: string; killed: boolean; reason: string } | { key: string; percent: number };
  /** For release deploys: the release and the bundles the flip applied, in plan order. */
  release?: string;
  bundles?: { name: string; version: string; hash: string }[];
  /** For release deploys: the release manager who went ahead without every sign-off, and why. */
  signoffOverride?: { principal: string; reason: string };
  previousSnapshot: string;
  snapshot: string;
  /** For rollbacks: the deployment whose snapshot became live again (absent: the initial, empty state). */
  rolledBackTo?: string;
  /** For rollbacks: the deployment that was live before and is undone. */
  undoes?: string;
  principal: string;
  at: string;
  idempotencyKey?: string;
  overrideId?: string;
  /** Delivery to external sinks (AppConfig), updated in place after the commit; `{}` when committed. */
  sinks: DeploymentSinks;
}

/** Deployment ids are readable and name their record directly: dpl-<env>-<head version>. */
export const deploymentId = (environment: string, headVersion: number): string =>
  `dpl-${environment}-${headVersion}`;

export const parseDeploymentId = (id: string): { environment: string; headVersion: number } | undefined => {
  const match = /^dpl-([a-z0-9][a-z0-9-]{0,62})-(\d{1,12})$/.exec(id);
  if (!match?.[1] || !match[2]) return undefined;
  return { environment: match[1], headVersion: Number(match[2]) };
};
