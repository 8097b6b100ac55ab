import { nameSchema } from '#domain/core/names.ts';
import {
  followed,
  notARollout,
  refused,
  refusalMessage,
  started,
  userParameters,
  type JobAnswer,
} from '#domain/pipeline/action-outcome.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import type { Deps } from '../deps.ts';
import { startReleaseRollout } from '../rollouts/start-release-rollout.ts';
import { startRollout } from '../rollouts/start-rollout.ts';

/**
 * The principal the action starts rollouts as. A Lambda invocation carries no caller identity, so the
 * catalog must map this name to release-manager: `roles: [{ principal: 'pipeline:codepipeline', roles:
 * [release-manager] }]`.
 */
export const PIPELINE_PRINCIPAL = 'pipeline:codepipeline';

/** A refusal fails the job with its reason; anything else throws, so Lambda retries the invocation. */
const orRefused = async (work: () => Promise<JobAnswer>, rolloutId?: string): Promise<JobAnswer> => {
  try {
    return await work();
  } catch (error) {
    const message = refusalMessage(error);
    if (message === undefined) throw error;
    return refused(message, rolloutId);
  }
};

/**
 * First invocation: validate, check freezes (and a release's sign-offs) and start a rollout of the bundle
 * or of the whole release; the job id makes CodePipeline's retries idempotent.
 */
const start = async (deps: Deps, jobId: string, text: string | undefined): Promise<JobAnswer> => {
  const params = userParameters(text);
  if ('outcome' in params) return params;
  const as = { principal: PIPELINE_PRINCIPAL, idempotencyKey: jobId };
  return orRefused(async () =>
    started(
      'release' in params
        ? (await startReleaseRollout(deps, { ...params, ...as })).rollout
        : (await startRollout(deps, { ...params, ...as })).rollout,
    ),
  );
};

/** Later invocations: follow the rollout until it ends. */
const follow = async (deps: Deps, rolloutId: string): Promise<JobAnswer> =>
  nameSchema.safeParse(rolloutId).success
    ? orRefused(
        async () => followed(rolloutId, reduceRollout(await deps.store.rollouts.events(rolloutId))),
        rolloutId,
      )
    : notARollout();

/**
 * One invocation of the CodePipeline rollout action: the first (no continuation token) starts the
 * rollout, later ones follow it until it ends; the answer is what the job is told.
 */
export const pipelineRolloutAction = (
  deps: Deps,
  job: { id: string; continuationToken?: string; userParameters?: string },
): Promise<JobAnswer> =>
  job.continuationToken === undefined
    ? start(deps, job.id, job.userParameters)
    : follow(deps, job.continuationToken);
