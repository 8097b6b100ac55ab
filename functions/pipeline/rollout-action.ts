import middy from '@middy/core';
import type { ActionOutcome } from '#domain/pipeline/action-outcome.ts';
import { logger } from '#app/logger.ts';
import { pipelineRolloutAction } from '#app/pipeline/pipeline-rollout-action.ts';
import type { Deps } from '#app/deps.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { answerJob, jobEventSchema, type JobEvent } from './codepipeline-job.ts';

/**
 * The CodePipeline Lambda invoke action: UserParameters `{ bundle: "name@version", strategy: "<name>" }`
 * or `{ release: "<release>", strategy: "<name>" }` (each phase deploys the whole release).
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
    const userParameters = job.data?.actionConfiguration?.configuration?.UserParameters;
    const answer = await pipelineRolloutAction(deps, {
      id: job.id,
      ...(token === undefined ? {} : { continuationToken: token }),
      ...(userParameters === undefined ? {} : { userParameters }),
    });
    await answerJob(job.id, answer);
    const { outcome } = answer;
    logger.info('pipeline rollout action', { jobId: job.id, outcome, rolloutId: token });
    return { outcome };
  });

export const handler = onLambda(make);
