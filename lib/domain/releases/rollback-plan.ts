import type { AuditDraft } from '../audit/event.ts';
import { deploymentId } from '../environments/head.ts';
import type { DeploymentRecord, Head } from '../environments/head.ts';
import type { ReleaseDeploymentRecord } from './deploy-plan.ts';

export interface ReleaseRollbackInput {
  environment: string;
  head: Head;
  /** The release's deployment to this environment: its previous snapshot becomes live again. */
  deployment: ReleaseDeploymentRecord;
  principal: string;
  at: string;
  idempotencyKey?: string;
}

export type ReleaseRollbackPlan =
  | { ok: false; reason: 'same-snapshot'; message: string }
  | { ok: true; snapshot: string; deployment: DeploymentRecord; audit: AuditDraft };

/**
 * `convoy release rollback`: restore the snapshot from before the release's deployment (undoing what
 * was deployed after it too), as one HEAD flip with an ordinary rollback record.
 */
export function planReleaseRollback(input: ReleaseRollbackInput): ReleaseRollbackPlan {
  const { environment, head, deployment: released } = input;
  const snapshot = released.previousSnapshot;
  if (snapshot === head.snapshot) {
    const message = `${environment} already runs the snapshot before ${released.release} (${released.id}); nothing changes`;
    return { ok: false, reason: 'same-snapshot', message };
  }
  const headVersion = head.version + 1;
  // Version 0 is the initial, empty state and has no record.
  const restored = released.headVersion > 1 ? deploymentId(environment, released.headVersion - 1) : undefined;
  const deployment: DeploymentRecord = {
    id: deploymentId(environment, headVersion),
    environment,
    kind: 'rollback',
    headVersion,
    previousSnapshot: head.snapshot,
    snapshot,
    ...(restored === undefined ? {} : { rolledBackTo: restored }),
    undoes: released.id,
    principal: input.principal,
    at: input.at,
    ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
    sinks: {},
  };
  const audit: AuditDraft = {
    type: 'ReleaseRolledBack',
    at: input.at,
    actor: input.principal,
    subject: environment,
    detail: {
      deploymentId: deployment.id,
      release: released.release,
      undoes: released.id,
      rolledBackTo: restored ?? null,
      previousSnapshot: head.snapshot,
      snapshot,
      headVersion,
    },
  };
  return { ok: true, snapshot, deployment, audit };
}
