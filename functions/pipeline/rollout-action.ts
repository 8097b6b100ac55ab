import middy from '@middy/core';
import { z } from 'zod';
import { bundleRefSchema, nameSchema } from '#domain/core/names.ts';
import { parseWith } from '#domain/core/zod-problems.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import { isTerminal } from '#domain/rollout/state.ts';
import type { Deps } from '#app/deps.ts';
import { logger } from '#app/logger.ts';
import { startRollout } from '#app/rollouts/start-rollout.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import {
  jobEventSchema,
  putJobFailure,
  putJobSuccess,
  refusalMessage,
  type JobEvent,
} from './codepipeline-job.ts';

/**
 * The principal the action starts rollouts as. A Lambda invocation carries no caller identity, so the
 * catalog must map this name to release-manager: `roles: [{ principal: 'pipeline:codepipeline', roles:
 * [release-manager] }]`.
 */
export const PIPELINE_PRINCIPAL = 'pipeline:codepipeline';

const userParametersSchema = z.strictObject({ bundle: bundleRefSchema, strategy: nameSchema });

export type ActionOutcome = 'started' | 'in-progress' | 'succeeded' | 'failed' | 'configuration-error';

const parameters = (text: string | undefined): z.infer<typeof userParametersSchema> | string => {
  let document: unknown;
  try {
    document = JSON.parse(text ?? '');
  } catch {
    return 'UserParameters must be JSON like {"bundle": "name@version", "strategy": "<catalog strategy>"}.';
  }
  const parsed = parseWith(userParametersSchema, document);
  if (parsed.ok) return parsed.value;
  const problems = parsed.problems.map(
    (p) => `${p.path ? `UserParameters.${p.path}` : 'UserParameters'} ${p.message}`,
  );
  return `Invalid UserParameters: ${problems.join('; ')}.`;
};

/** First invocation: validate, check freezes and start; the job id makes CodePipeline's retries idempotent. */
const start = async (
  deps: Deps,
  jobId: string,
  userParameters: string | undefined,
): Promise<ActionOutcome> => {
  const params = parameters(userParameters);
  if (typeof params === 'string') {
    await putJobFailure(jobId, 'ConfigurationError', params);
    return 'configuration-error';
  }
  try {
    const { rollout } = await startRollout(deps, {
      ...params,
      principal: PIPELINE_PRINCIPAL,
      idempotencyKey: jobId,
    });
    await putJobSuccess(jobId, {
      summary: `Rollout ${rollout.id} of ${rollout.bundle} with strategy ${rollout.strategy} started.`,
      externalExecutionId: rollout.id,
      continuationToken: rollout.id,
    });
    return 'started';
  } catch (error) {
    const message = refusalMessage(error);
    if (message === undefined) throw error;
    await putJobFailure(jobId, 'JobFailed', message);
    return 'failed';
  }
};

/** Later invocations: follow the rollout until it ends. */
const follow = async (deps: Deps, jobId: string, rolloutId: string): Promise<ActionOutcome> => {
  if (!nameSchema.safeParse(rolloutId).success) {
    await putJobFailure(jobId, 'JobFailed', 'The continuation token is not a rollout id.');
    return 'failed';
  }
  let state;
  try {
    state = reduceRollout(await deps.store.rollouts.events(rolloutId));
  } catch (error) {
    const message = refusalMessage(error);
    if (message === undefined) throw error;
    await putJobFailure(jobId, 'JobFailed', message, rolloutId);
    return 'failed';
  }
  const where = state.currentPhase === null ? '' : `, phase ${state.currentPhase}`;
  if (!isTerminal(state.status)) {
    await putJobSuccess(jobId, {
      summary: `Rollout ${rolloutId} is ${state.status}${where}.`,
      externalExecutionId: rolloutId,
      continuationToken: rolloutId,
    });
    return 'in-progress';
  }
  if (state.status === 'succeeded') {
    await putJobSuccess(jobId, {
      summary: `Rollout ${rolloutId} succeeded.`,
      externalExecutionId: rolloutId,
      outputVariables: { rolloutId, outcome: 'succeeded' },
    });
    return 'succeeded';
  }
  const ended = [`Rollout ${rolloutId} ended ${state.status}${where}`, state.reason].filter(Boolean);
  await putJobFailure(jobId, 'JobFailed', `${ended.join(': ')}.`, rolloutId);
  return 'failed';
};

/**
 * The CodePipeline Lambda invoke action: UserParameters `{ bundle: "name@version", strategy: "<name>" }`.
 * The first invocation starts the rollout (a refusal fails the job with its reason) and answers with a
 * continuation token; CodePipeline then re-invokes the action with it until the rollout ends:
 * succeeded → success with output variables `rolloutId` and `outcome`; rolled back, aborted or failed →
 * failure naming the reason. Transient errors throw, so the (asynchronous) invocation is retried.
 */
export const make = (deps: Deps) =>
  middy<unknown, { outcome: ActionOutcome }>().handler(async (event) => {
    const parsed = jobEventSchema.safeParse(event);
    if (!parsed.success) throw new Error('Not a CodePipeline job event: "CodePipeline.job".id is missing.');
    const job: JobEvent['CodePipeline.job'] = parsed.data['CodePipeline.job'];
    const token = job.data?.continuationToken;
    const outcome =
      token === undefined
        ? await start(deps, job.id, job.data?.actionConfiguration?.configuration?.UserParameters)
        : await follow(deps, job.id, token);
    logger.info('pipeline rollout action', { jobId: job.id, outcome, rolloutId: token });
    return { outcome };
  });

export const handler = onLambda(make);
