import type { AuditDraft } from '../audit/event.ts';
import { snapshotHash } from '../bundles/snapshot.ts';
import type { Snapshot } from '../bundles/snapshot.ts';
import type { JsonValue } from '../core/json.ts';
import { deploymentId } from '../environments/head.ts';
import type { DeploymentRecord, Head } from '../environments/head.ts';
import { flagDefinitionSchema } from './flag.ts';

/** The audit event of a kill or unkill (change kind `flag-kill-switch`). */
export const FLAG_KILL_SWITCHED = 'FlagKillSwitched';

export interface KillSwitchInput {
  environment: string;
  head: Head;
  /** The snapshot HEAD points at. */
  snapshot: Snapshot;
  /** The flag's catalog key. */
  flag: string;
  /** true: kill (serve offVariant); false: unkill. */
  killed: boolean;
  reason: string;
  principal: string;
  at: string;
  idempotencyKey?: string;
}

export type KillSwitchPlan =
  | { ok: false; reason: 'not-set' | 'unchanged'; message: string }
  | { ok: true; next: Snapshot; nextHash: string; deployment: DeploymentRecord; audit: AuditDraft };

/**
 * Plan flipping a flag's kill switch: the next snapshot is HEAD's with only that flag's `killed`
 * changed (every other value, and the applied bundles, as they are), with its own record and audit
 * event. A flag the environment does not have, or a switch already in that position, changes nothing.
 */
export const planKillSwitch = (input: KillSwitchInput): KillSwitchPlan => {
  const { environment, head, snapshot, flag, killed } = input;
  const live = flagDefinitionSchema.safeParse(snapshot.values[flag]);
  if (!Object.hasOwn(snapshot.values, flag) || !live.success) {
    return { ok: false, reason: 'not-set', message: `flag ${flag} is not set in ${environment}` };
  }
  if (live.data.killed === killed) {
    const state = killed ? 'already killed' : 'not killed';
    return { ok: false, reason: 'unchanged', message: `flag ${flag} is ${state} in ${environment}` };
  }
  const stored = snapshot.values[flag] as Record<string, JsonValue>;
  const next: Snapshot = { ...snapshot, values: { ...snapshot.values, [flag]: { ...stored, killed } } };
  const nextHash = snapshotHash(next);
  const headVersion = head.version + 1;
  const deployment: DeploymentRecord = {
    id: deploymentId(environment, headVersion),
    environment,
    kind: 'flag-kill-switch',
    headVersion,
    flag: { key: flag, killed, reason: input.reason },
    previousSnapshot: head.snapshot,
    snapshot: nextHash,
    principal: input.principal,
    at: input.at,
    ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
    sinks: {},
  };
  const audit: AuditDraft = {
    type: FLAG_KILL_SWITCHED,
    at: input.at,
    actor: input.principal,
    subject: environment,
    detail: {
      deploymentId: deployment.id,
      flag,
      killed,
      reason: input.reason,
      previousSnapshot: head.snapshot,
      snapshot: nextHash,
      headVersion,
    },
  };
  return { ok: true, next, nextHash, deployment, audit };
};
