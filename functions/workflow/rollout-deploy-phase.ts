import { z } from 'zod';
import { notFound } from '../../lib/domain/core/errors.ts';
import { durationMs } from '../../lib/domain/rollout/iso-duration.ts';
import { phaseAlarms } from '../../lib/domain/rollout/strategy.ts';
import { deployBundle } from '../shared/environment-change.ts';
import { appendDrafts, loadRollout, ROLLOUT_WORKFLOW_PRINCIPAL } from '../shared/rollout-stream.ts';
import { workflowHandler } from '../shared/workflow-handler.ts';

const payloadSchema = z.strictObject({
  rolloutId: z.string().min(1),
  phaseIndex: z.number().int().nonnegative(),
});

/** What the state machine loops on for the phase. */
export interface PhaseOutput {
  index: number;
  name: string;
  alarmNames: string[];
  intervalSeconds: number;
  last: boolean;
}

/**
 * Deploy Phase: start the phase (once) and deploy the bundle to each of its environments not deployed
 * yet, through the platform's transaction path as a `rollout-phase` change (freeze and audit apply).
 * The idempotency key `<rollout>:<phase>:<env>` makes a retry after a crash replay the deployment
 * instead of deploying twice; each deployment is appended as PhaseDeployed.
 */
export const handler = workflowHandler(payloadSchema, async ({ rolloutId, phaseIndex }, deps) => {
  const loaded = await loadRollout(deps, rolloutId);
  const { strategy } = loaded;
  let state = loaded.state;
  const phase = strategy.phases[phaseIndex];
  const bundle = state.bundle;
  if (!phase || !bundle) throw notFound(`Rollout ${rolloutId} has no phase ${phaseIndex}.`);
  const at = () => deps.now().toISOString();
  if (state.currentPhaseIndex < phaseIndex)
    state = await appendDrafts(deps, state, [{ type: 'PhaseStarted', phase: phase.name }], at());
  const catalog = await deps.store.catalogs.getCatalog();
  if (!catalog) throw notFound('No catalog has been stored.');
  const done = new Set(state.phases[phaseIndex]?.deployments.map((d) => d.environment));
  for (const environment of phase.environments.filter((env) => !done.has(env))) {
    const { deployment } = await deployBundle(
      deps,
      {
        environment,
        principal: ROLLOUT_WORKFLOW_PRINCIPAL,
        at: at(),
        catalog,
        idempotencyKey: `${rolloutId}:${phase.name}:${environment}`,
      },
      { name: bundle.name, version: bundle.version },
      'rollout-phase',
    );
    const draft = {
      type: 'PhaseDeployed',
      phase: phase.name,
      environment,
      deploymentId: deployment.id,
      previousSnapshot: deployment.previousSnapshot,
      snapshot: deployment.snapshot,
    } as const;
    state = await appendDrafts(deps, state, [draft], at());
  }
  return {
    index: phaseIndex,
    name: phase.name,
    alarmNames: phaseAlarms(strategy, phase),
    intervalSeconds: Math.max(1, Math.round(durationMs(strategy.health.interval) / 1000)),
    last: phaseIndex === strategy.phases.length - 1,
  } satisfies PhaseOutput;
});
