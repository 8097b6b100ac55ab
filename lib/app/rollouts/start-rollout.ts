import { z } from 'zod';
import type { Bundle } from '#domain/bundles/bundle.ts';
import { validateBundle } from '#domain/bundles/validate-bundle.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { isConvoyError, notFound, validationFailed } from '#domain/core/errors.ts';
import {
  bundleRefSchema,
  formatBundleRef,
  idempotencyKeySchema,
  nameSchema,
  type BundleRef,
} from '#domain/core/names.ts';
import type { Problem } from '#domain/core/problem.ts';
import { bundleScope } from '#domain/freeze/change-scope.ts';
import type { EventOf, RolloutEvent } from '#domain/rollout/events.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import { requireAllowed, requireCatalog } from '../caller.ts';
import type { Deps } from '../deps.ts';
import { environmentContextAt } from '../environments/environment-context.ts';
import { openGate, passFreezeGate } from '../freezes/freeze-gate.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import { requireRampable } from './require-rampable.ts';
import { startReleaseRollout, type StartReleaseRolloutInput } from './start-release-rollout.ts';
import { rolloutView } from '#api/rollout-view.ts';
import {
  keyedId,
  randomId,
  replayStart,
  resolveStrategy,
  startWorkflow,
  type StartedRollout,
} from './rollout-start-helpers.ts';

export { ROLLOUT_CHAIN } from '#store/keys.ts';

const startInputSchema = z.strictObject({
  bundle: bundleRefSchema,
  /** A catalog strategy's name, or a strategy document (validated against the catalog). */
  strategy: z.union([nameSchema, z.record(z.string(), z.unknown())], {
    error: 'must be the name of a catalog strategy or a strategy object',
  }),
  principal: z.string().min(1).max(512),
  id: nameSchema.optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
});
export type StartRolloutInput = z.input<typeof startInputSchema> | StartReleaseRolloutInput;

export type { StartedRollout } from './rollout-start-helpers.ts';

/** A keyed retry replays when it asks for the same bundle and strategy name. */
const sameBundleStart = (state: RolloutState, ref: BundleRef, strategyName: unknown): boolean =>
  state.bundle?.name === ref.name &&
  state.bundle.version === ref.version &&
  state.strategy?.name === strategyName;

/**
 * The bundle must pass every rule in every environment the rollout will reach, checked against their
 * state now (each phase checks again when it deploys): a rollout that cannot finish never starts.
 */
const requireDeployable = async (
  deps: Deps,
  catalog: Catalog,
  bundle: Bundle,
  environments: readonly string[],
): Promise<void> => {
  const problems: Problem[] = [];
  for (const environment of environments) {
    // No HEAD yet: nothing to check against (the phase's deploy reports it).
    const head = await deps.store.environments.getHead(environment);
    if (!head) continue;
    const context = await environmentContextAt(deps, head, bundle.release);
    const result = validateBundle(bundle, { catalog, environment, ...context });
    for (const found of result.problems)
      if ((found.severity ?? 'error') === 'error')
        problems.push({ ...found, message: `${environment}: ${found.message}` });
  }
  if (problems.length > 0) {
    const names = [...new Set(problems.map((p) => p.message.split(':')[0]))].join(', ');
    throw validationFailed(`${bundle.name}@${bundle.version} cannot be deployed to ${names}.`, problems);
  }
};

/**
 * Start a progressive rollout (`POST /rollouts`, the CodePipeline action, the simulator): resolve the
 * pushed bundle and the strategy, refuse when the first phase is frozen, record `RolloutStarted`
 * (HEAD snapshots of every environment it will touch) with its audit event, then start the workflow.
 */
export const startRollout = async (deps: Deps, input: StartRolloutInput): Promise<StartedRollout> => {
  // A release as the unit: every phase deploys the whole release atomically (start-release-rollout.ts).
  if ('release' in input) return startReleaseRollout(deps, input);
  const request = parsePart(startInputSchema, input, 'body');
  const at = deps.now().toISOString();
  const caller = { principal: request.principal, at, stored: await deps.store.catalogs.getCatalog() };
  const { catalog } = requireCatalog(caller);
  requireAllowed(caller, 'rollout:start');
  const ref = request.bundle;
  const strategyName = typeof request.strategy === 'string' ? request.strategy : request.strategy.name;
  const id =
    request.id ??
    (request.idempotencyKey === undefined
      ? randomId(at)
      : keyedId(request.principal, request.idempotencyKey));
  const keyed = request.idempotencyKey !== undefined;
  if (keyed && (await deps.store.rollouts.get(id)))
    return replayStart(deps, id, (state) => sameBundleStart(state, ref, strategyName));

  const stored = await deps.store.bundles.getBundle(ref.name, ref.version);
  if (!stored) throw notFound(`Bundle ${formatBundleRef(ref)} has not been pushed.`, { bundle: ref });
  const { strategy, warnings } = resolveStrategy(catalog, request.strategy);
  const environments = [...new Set(strategy.phases.flatMap((phase) => phase.environments))];
  // Flag phases deploy no bundle: they are checked for a flag they can ramp instead.
  const deploying = strategy.phases.filter((phase) => !phase.flag).flatMap((phase) => phase.environments);
  await requireDeployable(deps, catalog, stored.sealed.bundle, [...new Set(deploying)]);
  await requireRampable(deps, catalog, strategy, stored.sealed);
  for (const environment of strategy.phases.slice(0, 1).flatMap((phase) => phase.environments)) {
    await passFreezeGate(deps, {
      ...(await openGate(deps, environment)),
      environment,
      kind: 'rollout-phase',
      bundle: formatBundleRef(ref),
      principal: request.principal,
      deploymentId: id,
      scope: () => bundleScope(catalog, stored.sealed.bundle),
    });
  }
  const heads = await Promise.all(environments.map((env) => deps.store.environments.getHead(env)));
  const started: EventOf<'RolloutStarted'> = {
    type: 'RolloutStarted',
    seq: 0,
    at,
    rolloutId: id,
    bundle: { name: ref.name, version: ref.version, hash: stored.hash },
    strategy,
    environmentsBefore: Object.fromEntries(environments.map((env, i) => [env, heads[i]?.snapshot ?? ''])),
    by: request.principal,
  };
  // The start and its audit event commit together: a start that fails later is retried as a replay.
  const audit = {
    type: 'RolloutStarted',
    at,
    actor: request.principal,
    subject: id,
    detail: {
      rolloutId: id,
      bundle: formatBundleRef(ref),
      bundleHash: stored.hash,
      strategy: strategy.name,
      phases: strategy.phases.map((phase) => phase.name),
      by: request.principal,
    },
  };
  try {
    await deps.store.rollouts.create(started, audit);
  } catch (error) {
    // Two requests with one key raced: the loser replays the winner's rollout.
    if (keyed && isConvoyError(error) && error.code === 'conflict')
      return replayStart(deps, id, (state) => sameBundleStart(state, ref, strategyName));
    throw error;
  }
  await startWorkflow(deps, id);
  const events: RolloutEvent[] = [started];
  return { rollout: rolloutView(reduceRollout(events), events), warnings };
};
