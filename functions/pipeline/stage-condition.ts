import middy from '@middy/core';
import { stageTargets, type StageConditionResult } from '#domain/pipeline/stage-condition.ts';
import { logger } from '#app/logger.ts';
import { checkStage } from '#app/pipeline/check-stage.ts';
import type { Deps } from '#app/deps.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { jobEventSchema, putJobFailure, putJobSuccess } from './codepipeline-job.ts';

/** Thrown for the rule to fail: a LambdaInvoke rule fails when its function returns an error. */
export class StageConditionError extends Error {
  override name = 'Convoy.StageCondition';
}

/** The rule's `UserParameters`: a job's configuration, `UserParameters` or `configuration.UserParameters`. */
const userParametersOf = (event: unknown): unknown => {
  const job = jobEventSchema.safeParse(event);
  if (job.success)
    return job.data['CodePipeline.job'].data?.actionConfiguration?.configuration?.UserParameters;
  const record = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  return (
    record.UserParameters ?? (record.configuration as Record<string, unknown> | undefined)?.UserParameters
  );
};

/**
 * A CodePipeline stage condition (LambdaInvoke rule, e.g. on a stage's entry with result FAIL): fails
 * while any of the environments is frozen for a rollout phase or a deploy, naming the windows.
 *
 * Input: `{ environments: [...] }` or `{ environment }` directly, or the rule's `UserParameters` (that
 * JSON, or a comma-separated list of names) as `UserParameters`, `configuration.UserParameters` or a
 * `CodePipeline.job` event. Answer: a job event is answered with PutJobSuccessResult /
 * PutJobFailureResult; any other invocation returns the result when open and fails with an error when
 * frozen or invalid (the rule fails when its function errors).
 */
export const make = (deps: Deps) =>
  middy<unknown, StageConditionResult>().handler(async (event) => {
    const job = jobEventSchema.safeParse(event);
    const jobId = job.success ? job.data['CodePipeline.job'].id : undefined;
    const targets = stageTargets(userParametersOf(event), event);
    const result: StageConditionResult =
      typeof targets === 'string'
        ? { status: 'invalid', message: targets, environments: [] }
        : await checkStage(deps, targets);
    if (result.status === 'invalid') {
      if (jobId === undefined) throw new StageConditionError(result.message);
      await putJobFailure(jobId, 'ConfigurationError', result.message);
      return result;
    }
    logger.info('stage condition', { status: result.status, environments: result.environments });
    if (jobId !== undefined) {
      if (result.status === 'open') await putJobSuccess(jobId, { summary: result.message });
      else await putJobFailure(jobId, 'JobFailed', result.message);
      return result;
    }
    if (result.status === 'frozen') throw new StageConditionError(result.message);
    return result;
  });

export const handler = onLambda(make);
