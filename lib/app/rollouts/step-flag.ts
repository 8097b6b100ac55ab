import { ConvoyError, validationFailed } from '#domain/core/errors.ts';
import { planFlagStep } from '#domain/environments/plan-flag-step.ts';
import { snapshotChangeScope } from '#domain/freeze/change-scope.ts';
import type { FlagStep } from '#domain/rollout/flag-step.ts';
import {
  commitGated,
  commitWithRetry,
  fingerprinted,
  type ChangeRequest,
  type ChangeResult,
} from '../deployments/change-environment.ts';
import type { Deps } from '../deps.ts';
import { passFreezeGate } from '../freezes/freeze-gate.ts';

/**
 * One step of a flag ramp (a rollout's flag phase) through the same transaction path as a bundle
 * deploy: the Idempotency-Key replays it, HEAD is read once per attempt, the next snapshot (HEAD's with
 * only that flag's split changed) is written, the freeze gate judges it as a `rollout-phase` change
 * scoped to the flag's namespace, and HEAD flips with a `flag-step` record and its audit event.
 */
export const stepFlag = (
  deps: Deps,
  change: ChangeRequest,
  step: FlagStep,
  rollout: { id: string; phase: string },
): Promise<ChangeResult> => {
  const request = fingerprinted(change, 'flag-step', {
    flag: step.key,
    percent: String(step.percent),
    rollout: rollout.id,
  });
  return commitWithRetry(deps, request, async (head, opened) => {
    const { at } = opened;
    const snapshot = await deps.store.snapshots.getSnapshot(head.snapshot);
    const plan = planFlagStep({
      environment: request.environment,
      head,
      snapshot,
      flag: step,
      rollout,
      principal: request.principal,
      at,
      idempotencyKey: request.idempotencyKey,
    });
    if (!plan.ok && plan.reason === 'invalid') {
      throw validationFailed(
        `${step.key} cannot ramp to ${step.percent}% in ${request.environment}.`,
        plan.problems,
      );
    }
    if (!plan.ok) throw new ConvoyError('already-deployed', plan.message, { context: { head } });
    await deps.store.snapshots.putSnapshot(plan.next);
    const gate = await passFreezeGate(deps, {
      ...opened,
      environment: request.environment,
      kind: 'rollout-phase',
      ...(request.inFlight === undefined ? {} : { inFlight: request.inFlight }),
      principal: request.principal,
      overrideId: request.overrideId,
      deploymentId: plan.deployment.id,
      scope: () => snapshotChangeScope(request.catalog.catalog, snapshot, plan.next),
    });
    return commitGated(deps, request, head, plan, gate);
  });
};
