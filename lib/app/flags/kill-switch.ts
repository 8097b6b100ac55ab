import { notFound } from '#domain/core/errors.ts';
import type { Head } from '#domain/environments/head.ts';
import { snapshotChangeScope } from '#domain/freeze/change-scope.ts';
import { planKillSwitch } from '#domain/flags/kill-switch.ts';
import type { Deps } from '../deps.ts';
import { logger } from '../logger.ts';
import {
  commitGated,
  commitWithRetry,
  fingerprinted,
  type ChangeRequest,
  type ChangeResult,
} from '../deployments/change-environment.ts';
import { passFreezeGate } from '../freezes/freeze-gate.ts';
import { pauseRolloutsRampingFlag } from '../rollouts/pause-for-kill.ts';

/** Told after a kill committed (e.g. to pause a rollout that ramps the flag); a failure does not undo the kill. */
export type OnFlagKilled = (input: {
  environment: string;
  flag: string;
  reason: string;
  at: Date;
}) => Promise<void>;

export interface KillSwitchDeps extends Deps {
  /** Default: pause the rollouts that ramp the flag in that environment, as the one who killed it. */
  onFlagKilled?: OnFlagKilled;
}

const pauseRamping =
  (deps: Deps, by: string): OnFlagKilled =>
  async (killed) => {
    await pauseRolloutsRampingFlag(deps, { ...killed, at: killed.at.toISOString(), by });
  };

/** A switch already in the asked position: nothing written, the environment's HEAD as it is. */
export interface KillSwitchUnchanged {
  unchanged: true;
  environment: string;
  flag: string;
  killed: boolean;
  head: Head;
}

/** A committed flip (its record and HEAD), or the no-op of a repeated kill or unkill. */
export type KillSwitchResult = (ChangeResult & { unchanged?: undefined }) | KillSwitchUnchanged;

export interface KillSwitchRequest {
  flag: string;
  /** true: kill; false: unkill. */
  killed: boolean;
  reason: string;
}

/**
 * `convoy flag kill|unkill`: flip one flag's `killed` in ONE environment commit of change kind
 * `flag-kill-switch` (a new snapshot with only that flag changed, its deployment record and audit
 * event), through the freeze gate (a window whose `allow` lists `flag-kill-switch` lets it through)
 * and the Idempotency-Key replay of every environment change. Nothing about rollouts holds it: a
 * running rollout is told afterwards (`onFlagKilled`). Killing a killed flag (or unkilling a live one)
 * is a no-op that succeeds: nothing is written, no one is told, the answer says `unchanged`.
 */
export const setKillSwitch = async (
  deps: KillSwitchDeps,
  change: ChangeRequest,
  input: KillSwitchRequest,
): Promise<KillSwitchResult> => {
  const request = fingerprinted(change, 'flag-kill-switch', {
    flag: input.flag,
    killed: String(input.killed),
    reason: input.reason,
  });
  const result: KillSwitchResult = await commitWithRetry<KillSwitchResult>(
    deps,
    request,
    async (head, opened) => {
      const snapshot = await deps.store.snapshots.getSnapshot(head.snapshot);
      const plan = planKillSwitch({
        environment: request.environment,
        head,
        snapshot,
        ...input,
        principal: request.principal,
        at: opened.at,
        idempotencyKey: request.idempotencyKey,
      });
      if (!plan.ok && plan.reason === 'not-set') throw notFound(`${plan.message}.`, { flag: input.flag });
      if (!plan.ok) {
        const { environment } = request;
        return { unchanged: true, environment, flag: input.flag, killed: input.killed, head };
      }
      await deps.store.snapshots.putSnapshot(plan.next);
      const gate = await passFreezeGate(deps, {
        ...opened,
        environment: request.environment,
        kind: 'flag-kill-switch',
        principal: request.principal,
        overrideId: request.overrideId,
        deploymentId: plan.deployment.id,
        scope: () => snapshotChangeScope(request.catalog.catalog, snapshot, plan.next),
      });
      return commitGated(deps, request, head, plan, gate);
    },
  );
  if (input.killed && !result.unchanged) {
    const killed = { environment: request.environment, flag: input.flag, reason: input.reason };
    const onFlagKilled = deps.onFlagKilled ?? pauseRamping(deps, request.principal);
    try {
      await onFlagKilled({ ...killed, at: new Date(result.deployment.at) });
    } catch (error) {
      // The kill is committed and served; what follows it must not turn it into a failure.
      logger.error('onFlagKilled failed after a committed kill', { ...killed, error: String(error) });
    }
  }
  return result;
};
