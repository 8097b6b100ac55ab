import type { AuditDraft } from '../audit/event.ts';
import { snapshotHash } from '../bundles/snapshot.ts';
import type { Snapshot } from '../bundles/snapshot.ts';
import type { Problem } from '../core/problem.ts';
import { rampDefinition } from '../rollout/flag-step.ts';
import { deploymentId } from './head.ts';
import type { DeploymentRecord, Head } from './head.ts';

export interface FlagStepInput {
  environment: string;
  head: Head;
  /** The snapshot HEAD points at. */
  snapshot: Snapshot;
  flag: { key: string; percent: number };
  /** The rollout (`rollout <id>, phase <name>`): recorded with the step. */
  rollout: { id: string; phase: string };
  principal: string;
  at: string;
  idempotencyKey?: string;
}

export type FlagStepPlan =
  | { ok: false; reason: 'invalid'; problems: Problem[] }
  | { ok: false; reason: 'already-deployed'; message: string }
  | { ok: true; next: Snapshot; nextHash: string; deployment: DeploymentRecord; audit: AuditDraft };

/**
 * Plan one step of a flag ramp: the next snapshot is HEAD's with only that flag's definition changed
 * (its rollout rule's split, flag-step.ts), recorded as a `flag-step` deployment with a `FlagStepped`
 * audit event. A flag already at the percent is `already-deployed` (a retry, or a ramp that repeats).
 */
export function planFlagStep(input: FlagStepInput): FlagStepPlan {
  const { environment, head, snapshot, flag } = input;
  const ramped = rampDefinition(flag.key, snapshot.values[flag.key], flag.percent);
  if (!ramped.ok) {
    const problem: Problem = {
      code: ramped.code,
      key: flag.key,
      message: `${environment}: ${ramped.message}`,
    };
    return { ok: false, reason: 'invalid', problems: [problem] };
  }
  const next: Snapshot = { ...snapshot, values: { ...snapshot.values, [flag.key]: ramped.definition } };
  const nextHash = snapshotHash(next);
  if (nextHash === head.snapshot) {
    return {
      ok: false,
      reason: 'already-deployed',
      message: `${flag.key} already serves ${flag.percent}% in ${environment}`,
    };
  }
  const headVersion = head.version + 1;
  const deployment: DeploymentRecord = {
    id: deploymentId(environment, headVersion),
    environment,
    kind: 'flag-step',
    headVersion,
    flag: { key: flag.key, percent: flag.percent },
    previousSnapshot: head.snapshot,
    snapshot: nextHash,
    principal: input.principal,
    at: input.at,
    ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
    sinks: {},
  };
  const audit: AuditDraft = {
    type: 'FlagStepped',
    at: input.at,
    actor: input.principal,
    subject: environment,
    detail: {
      deploymentId: deployment.id,
      flag: flag.key,
      percent: flag.percent,
      rolloutId: input.rollout.id,
      phase: input.rollout.phase,
      previousSnapshot: head.snapshot,
      snapshot: nextHash,
      headVersion,
    },
  };
  return { ok: true, next, nextHash, deployment, audit };
}
