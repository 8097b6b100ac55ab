import type { ChainPosition } from '../audit/event.ts';

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

export type DeploymentKind = 'deploy' | 'rollback';

export interface SinkStatus {
  status: 'pending' | 'in-sync' | 'failed';
  detail?: string;
  updatedAt: string;
}

/** The record of one HEAD flip. */
export interface DeploymentRecord {
  id: string;
  environment: string;
  kind: DeploymentKind;
  /** HEAD version this flip produced. */
  headVersion: number;
  bundle?: { name: string; version: string; hash: string };
  previousSnapshot: string;
  snapshot: string;
  /** For rollbacks: the deployment whose snapshot became live again. */
  rolledBackTo?: string;
  principal: string;
  at: string;
  idempotencyKey?: string;
  overrideId?: string;
  sinks: Record<string, SinkStatus>;
}
