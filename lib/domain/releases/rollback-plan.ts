import type { AuditDraft } from '../audit/event.ts';
import { flipRecord } from '../environments/flip-record.ts';
import { deploymentId, parseDeploymentId } from '../environments/head.ts';
import type { DeploymentRecord, Head } from '../environments/head.ts';
import type { ReleaseDeploymentRecord } from './deploy-plan.ts';

/** The flip that brought a release (or its first bundle) into an environment. */
export type ReleaseEntry = Pick<
  ReleaseDeploymentRecord,
  'id' | 'headVersion' | 'previousSnapshot' | 'release'
>;

/**
 * Where the release entered the environment, as far as HEAD still holds it: walking the flips in
 * order, the first that brought any of it (an atomic release deploy, or one of its bundles deployed
 * alone) opens an entry; a rollback back to that entry's previous snapshot (or before) closes it.
 */
export const releaseEntry = (
  release: string,
  names: ReadonlySet<string>,
  deployments: readonly DeploymentRecord[],
): ReleaseEntry | undefined => {
  let entry: ReleaseEntry | undefined;
  for (const d of [...deployments].sort((a, b) => a.headVersion - b.headVersion)) {
    const brings =
      (d.kind === 'release' && d.release === release) ||
      (d.kind === 'deploy' && d.bundle !== undefined && names.has(d.bundle.name));
    if (brings && entry === undefined) {
      entry = { id: d.id, headVersion: d.headVersion, previousSnapshot: d.previousSnapshot, release };
    } else if (d.kind === 'rollback' && entry !== undefined) {
      // The HEAD version whose snapshot the rollback restored (0: the initial, empty state).
      const restored =
        d.rolledBackTo === undefined ? 0 : (parseDeploymentId(d.rolledBackTo)?.headVersion ?? 0);
      if (restored < entry.headVersion) entry = undefined;
    }
  }
  return entry;
};

export interface ReleaseRollbackInput {
  environment: string;
  head: Head;
  /** Where the release entered this environment (releaseEntry): its previous snapshot becomes live again. */
  deployment: ReleaseEntry;
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
    ...flipRecord({ ...input, snapshot }),
    kind: 'rollback',
    ...(restored === undefined ? {} : { rolledBackTo: restored }),
    undoes: released.id,
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
