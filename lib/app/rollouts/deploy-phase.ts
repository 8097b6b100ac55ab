import { z } from 'zod';
import { isConvoyError, notFound } from '#domain/core/errors.ts';
import type { Head } from '#domain/environments/head.ts';
import { alreadyDeployed, freezeHeld, frozenAtCommit } from '#domain/rollout/deploy-hold.ts';
import { durationMs } from '#domain/rollout/iso-duration.ts';
import { undeployedInPhase, watchedAlarms } from '#domain/rollout/progress.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import { phaseAlarms, type Strategy } from '#domain/rollout/strategy.ts';
import { workflowClock, workflowNowSchema } from '#domain/rollout/workflow-time.ts';
import { deployBundle } from '../deployments/change-environment.ts';
import { deployRelease } from '../releases/deploy-release.ts';
import type { Deps } from '../deps.ts';
import { publishToSinks } from '../sinks/sync-sink.ts';
import { freezeHolds, inFlightContext } from './freeze-outlook.ts';
import { appendDrafts, loadRollout, ROLLOUT_WORKFLOW_PRINCIPAL } from './rollout-stream.ts';
import { stepFlag } from './step-flag.ts';

/** What the state machine loops on for the phase. */
export interface PhaseOutput {
  index: number;
  name: string;
  alarmNames: string[];
  intervalSeconds: number;
  approvalTimeoutSeconds: number;
  last: boolean;
  /** Decide at once, without waiting an interval: the phase was approved, or the rollout rolls back. */
  decideNow: boolean;
}

const seconds = (iso: string): number => Math.max(1, Math.round(durationMs(iso) / 1000));

const output = (state: RolloutState, strategy: Strategy, index: number): PhaseOutput => {
  const watched = watchedAlarms(state, strategy);
  return {
    index,
    name: strategy.phases[index]?.name ?? '',
    // DescribeAlarms without names lists every alarm: always name some.
    alarmNames:
      watched.length > 0 ? watched : phaseAlarms(strategy, strategy.phases[index] ?? { environments: [] }),
    intervalSeconds: seconds(strategy.health.interval),
    approvalTimeoutSeconds: seconds(strategy.approvalTimeout),
    last: index === strategy.phases.length - 1,
    decideNow:
      state.status === 'rolling-back' ||
      (state.status === 'running' && state.phases[index]?.status === 'baked'),
  };
};

/**
 * Deploy one environment unless a freeze holds it; a hold pauses the rollout (once) instead. The
 * freeze gate and the deployment record go by the calendar (`deps.now`), the rollout's events by
 * workflow time (`eventAt`).
 */
const deployOrHold = async (
  deps: Deps,
  state: RolloutState,
  environment: string,
  eventAt: () => Date,
): Promise<RolloutState> => {
  const at = deps.now().toISOString();
  const catalog = await deps.store.catalogs.getCatalog();
  if (!catalog || !state.bundle) throw notFound('No catalog has been stored.');
  const [first] = await freezeHolds(deps, state, catalog, at, [environment]);
  if (first) return appendDrafts(deps, state, freezeHeld(first), eventAt().toISOString());
  const phase = state.phases[state.currentPhaseIndex];
  const change = {
    environment,
    principal: ROLLOUT_WORKFLOW_PRINCIPAL,
    at,
    catalog,
    idempotencyKey: `${state.id}:${phase?.name ?? ''}:${environment}`,
    inFlight: inFlightContext(state, environment),
  };
  // A flag phase ramps its flag instead of deploying the bundle (step-flag.ts); a release rollout
  // deploys the whole release atomically (deploy-release.ts), at the versions pinned when it started.
  const flag = state.strategy?.phases[state.currentPhaseIndex]?.flag;
  const { release } = state;
  try {
    const { deployment } = flag
      ? await stepFlag(deps, change, flag, { id: state.id, phase: phase?.name ?? '' })
      : release
        ? await deployRelease(deps, change, release.name, {
            kind: 'rollout-phase',
            inFlight: change.inFlight,
            bundles: release.bundles,
            ...(release.signoffOverride ? { signoffOverride: release.signoffOverride } : {}),
          })
        : await deployBundle(
            deps,
            change,
            { name: state.bundle.name, version: state.bundle.version },
            'rollout-phase',
          );
    const draft = {
      type: 'PhaseDeployed',
      phase: phase?.name ?? '',
      environment,
      deploymentId: deployment.id,
      previousSnapshot: deployment.previousSnapshot,
      snapshot: deployment.snapshot,
    } as const;
    return await appendDrafts(deps, state, [draft], eventAt().toISOString());
  } catch (error) {
    // The environment already runs this bundle: nothing to deploy, and nothing for a rollback to undo.
    if (isConvoyError(error) && error.code === 'already-deployed') {
      const draft = alreadyDeployed(phase?.name ?? '', environment, error.context.head as Head);
      return appendDrafts(deps, state, [draft], eventAt().toISOString());
    }
    // A window added between the check and the commit: hold, as if it had been there.
    if (!isConvoyError(error) || error.code !== 'frozen') throw error;
    const windows = (error.context.windows ?? []) as { id: string }[];
    return appendDrafts(deps, state, frozenAtCommit(windows, error.message), eventAt().toISOString());
  }
};

/** Deploy Phase's input. */
export const deployPhaseInputSchema = z.strictObject({
  rolloutId: z.string().min(1),
  phaseIndex: z.number().int().nonnegative(),
  /** Workflow time (`$$.State.EnteredTime`): the deployments' events, hence the bake, start there. */
  now: workflowNowSchema.optional(),
});

/**
 * Deploy Phase: start the phase (once) and deploy the bundle to each of its environments not deployed
 * yet, through the platform's transaction path as a `rollout-phase` change (freeze and audit apply;
 * windows that began mid-rollout apply their inFlight policy). A frozen environment holds the rollout
 * (paused by the freeze; the loop keeps watching health and resumes it). The idempotency key
 * `<rollout>:<phase>:<env>` makes a retry after a crash replay the deployment instead of deploying
 * twice. A rollout that is not running (paused by an operator, rolling back, ended) deploys nothing.
 */
export const deployPhase = async (
  deps: Deps,
  { rolloutId, phaseIndex, now }: z.infer<typeof deployPhaseInputSchema>,
): Promise<PhaseOutput> => {
  const loaded = await loadRollout(deps, rolloutId);
  const { strategy } = loaded;
  let state = loaded.state;
  const phase = strategy.phases[phaseIndex];
  if (!phase) throw notFound(`Rollout ${rolloutId} has no phase ${phaseIndex}.`);
  // The phase's start is calendar time: a freeze's finish-phase policy compares it with the window's.
  if (state.currentPhaseIndex < phaseIndex && ['pending', 'running'].includes(state.status))
    state = await appendDrafts(
      deps,
      state,
      [{ type: 'PhaseStarted', phase: phase.name }],
      deps.now().toISOString(),
    );
  const eventAt = workflowClock(now, deps.now);
  for (const environment of undeployedInPhase(state, phaseIndex)) {
    if (state.status !== 'running' || state.currentPhaseIndex !== phaseIndex) break;
    state = await deployOrHold(deps, state, environment, eventAt);
  }
  // AppConfig-bound environments get the snapshot too (idempotent: a retry finds what it started).
  const catalog = await deps.store.catalogs.getCatalog();
  for (const deployment of state.phases[phaseIndex]?.deployments ?? []) {
    if (catalog) await publishToSinks(deps, catalog.catalog, deployment.environment, deployment.deploymentId);
  }
  return output(state, strategy, phaseIndex);
};
