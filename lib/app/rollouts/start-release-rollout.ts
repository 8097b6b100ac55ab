import { z } from 'zod';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { forbidden, isConvoyError, validationFailed } from '#domain/core/errors.ts';
import { sha256 } from '#domain/core/json.ts';
import { formatBundleRef, idempotencyKeySchema, nameSchema, releaseSchema } from '#domain/core/names.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import { problem, type Problem } from '#domain/core/problem.ts';
import { releaseScope } from '#domain/freeze/change-scope.ts';
import { overrideSignoffs, signoffGate, type SignoffOverride } from '#domain/releases/signoff-rules.ts';
import { validateReleaseTogether } from '#domain/releases/validate-together.ts';
import type { EventOf, RolloutEvent } from '#domain/rollout/events.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import type { Strategy } from '#domain/rollout/strategy.ts';
import { rolloutView } from '#api/rollout-view.ts';
import { requireAllowed, requireCatalog } from '../caller.ts';
import type { Deps } from '../deps.ts';
import { environmentContextAt } from '../environments/environment-context.ts';
import { openGate, passFreezeGate } from '../freezes/freeze-gate.ts';
import { releaseCore, releaseSignoffs, type ReleaseCore } from '../releases/release-context.ts';
import {
  keyedId,
  randomId,
  replayStart,
  resolveStrategy,
  startWorkflow,
  type StartedRollout,
} from './rollout-start-helpers.ts';

const startReleaseInputSchema = z.strictObject({
  release: releaseSchema,
  strategy: z.union([nameSchema, z.record(z.string(), z.unknown())], {
    error: 'must be the name of a catalog strategy or a strategy object',
  }),
  /** A release manager goes ahead without every sign-off; the reason is audited. */
  overrideSignoffs: z.strictObject({ reason: z.string().trim().min(1).max(2000) }).optional(),
  principal: z.string().min(1).max(512),
  id: nameSchema.optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
});
export type StartReleaseRolloutInput = z.input<typeof startReleaseInputSchema>;

/** The version a release rollout's `bundle` carries: the views read `<release>@release`. */
export const RELEASE_UNIT_VERSION = 'release';

/** Sign-offs complete, or a release manager's override; otherwise 422 (missing) or 403 (not allowed). */
const requireSignoffs = async (
  deps: Deps,
  catalog: Catalog,
  core: ReleaseCore,
  principal: string,
  reason: string | undefined,
): Promise<SignoffOverride | undefined> => {
  let override: SignoffOverride | undefined;
  if (reason !== undefined) {
    const verdict = overrideSignoffs(catalog, principal, reason);
    if (!verdict.ok) throw forbidden(verdict.reason, { principal });
    override = verdict.override;
  }
  const gate = signoffGate(await releaseSignoffs(deps, core), override);
  if (!gate.ok) {
    const missing = problem('release.signoffs-missing', gate.reason, { path: 'release' });
    throw validationFailed(`${core.release} is not signed off: ${gate.reason}`, [missing]);
  }
  return gate.override;
};

/**
 * The release must be valid, its bundles applied together, against every environment a phase deploys
 * it to (checked now; each phase checks again); a rollout that cannot finish never starts. A release
 * rollout deploys the release in every phase: a flag phase has no place in it.
 */
const requireDeployable = async (
  deps: Deps,
  catalog: Catalog,
  core: ReleaseCore,
  strategy: Strategy,
): Promise<void> => {
  const problems: Problem[] = [];
  if (core.sealed.length === 0)
    problems.push(problem('release.empty', `no bundle is labelled ${core.release}`, { path: 'release' }));
  strategy.phases.forEach((phase, i) => {
    if (phase.flag)
      problems.push(
        problem(
          'rollout.release-flag-phase',
          `phase ${phase.name} ramps a flag; a release rollout deploys the release in every phase`,
          {
            path: `strategy.phases[${i}].flag`,
          },
        ),
      );
  });
  for (const environment of new Set(strategy.phases.flatMap((phase) => phase.environments))) {
    const head = await deps.store.environments.getHead(environment);
    if (!head || core.sealed.length === 0) continue;
    const context = await environmentContextAt(deps, head, core.release);
    const result = validateReleaseTogether(core.sealed, environment, catalog, context);
    for (const found of result.problems)
      if ((found.severity ?? 'error') === 'error')
        problems.push({ ...found, message: `${environment}: ${found.message}` });
  }
  if (problems.length > 0)
    throw validationFailed(`${core.release} cannot be rolled out with strategy ${strategy.name}.`, problems);
};

/**
 * Start a progressive rollout whose unit is a release (`POST /rollouts` with `{ release, strategy }`,
 * `convoy release rollout`): its sign-offs (or a release manager's audited override), the release
 * valid together in every environment, the first phase not frozen; then `RolloutStarted` (HEAD of every
 * environment it will touch, the release and its bundles) with its audit event, and the workflow. Each
 * phase deploys the whole release atomically through the release-deploy path (deploy-phase.ts).
 */
export const startReleaseRollout = async (
  deps: Deps,
  input: StartReleaseRolloutInput,
): Promise<StartedRollout> => {
  const request = parsePart(startReleaseInputSchema, input, 'body');
  const at = deps.now().toISOString();
  const caller = { principal: request.principal, at, stored: await deps.store.catalogs.getCatalog() };
  const { catalog } = requireCatalog(caller);
  requireAllowed(caller, 'rollout:start');
  const { release } = request;
  const strategyName = typeof request.strategy === 'string' ? request.strategy : request.strategy.name;
  const keyed = request.idempotencyKey !== undefined;
  const id =
    request.id ??
    (request.idempotencyKey === undefined
      ? randomId(at)
      : keyedId(request.principal, request.idempotencyKey));
  if (keyed && (await deps.store.rollouts.get(id)))
    return replayStart(
      deps,
      id,
      (state) => state.release?.name === release && state.strategy?.name === strategyName,
    );

  const core = await releaseCore(deps, catalog, release, at);
  const { strategy, warnings } = resolveStrategy(catalog, request.strategy);
  await requireDeployable(deps, catalog, core, strategy);
  const override = await requireSignoffs(
    deps,
    catalog,
    core,
    request.principal,
    request.overrideSignoffs?.reason,
  );
  const bundles = core.sealed.map((s) => formatBundleRef(s.bundle));
  for (const environment of strategy.phases.slice(0, 1).flatMap((phase) => phase.environments)) {
    await passFreezeGate(deps, {
      ...(await openGate(deps, environment)),
      environment,
      kind: 'rollout-phase',
      bundle: release,
      principal: request.principal,
      deploymentId: id,
      scope: () =>
        releaseScope(
          catalog,
          core.sealed.map((s) => s.bundle),
        ),
    });
  }
  const environments = [...new Set(strategy.phases.flatMap((phase) => phase.environments))];
  const heads = await Promise.all(environments.map((env) => deps.store.environments.getHead(env)));
  const hash = sha256(core.sealed.map((s) => s.hash).join('\n'));
  const started: EventOf<'RolloutStarted'> = {
    type: 'RolloutStarted',
    seq: 0,
    at,
    rolloutId: id,
    bundle: { name: release, version: RELEASE_UNIT_VERSION, hash },
    release: { name: release, bundles, ...(override ? { signoffOverride: override } : {}) },
    strategy,
    environmentsBefore: Object.fromEntries(environments.map((env, i) => [env, heads[i]?.snapshot ?? ''])),
    by: request.principal,
  };
  const audit = {
    type: 'RolloutStarted',
    at,
    actor: request.principal,
    subject: id,
    detail: {
      rolloutId: id,
      release,
      bundles,
      bundleHash: hash,
      strategy: strategy.name,
      phases: strategy.phases.map((phase) => phase.name),
      by: request.principal,
      signoffOverride: override ? { principal: override.principal, reason: override.reason } : null,
    },
  };
  try {
    await deps.store.rollouts.create(started, audit);
  } catch (error) {
    if (keyed && isConvoyError(error) && error.code === 'conflict')
      return replayStart(
        deps,
        id,
        (state) => state.release?.name === release && state.strategy?.name === strategyName,
      );
    throw error;
  }
  await startWorkflow(deps, id);
  const events: RolloutEvent[] = [started];
  return { rollout: rolloutView(reduceRollout(events), events), warnings };
};
