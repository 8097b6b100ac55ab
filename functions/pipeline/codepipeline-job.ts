import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
  type FailureType,
} from '@aws-sdk/client-codepipeline';
import { z } from 'zod';
import type { JobAnswer, JobSuccess } from '#domain/pipeline/action-outcome.ts';

/** What CodePipeline sends a Lambda invoke action (and, when it uses the job form, a LambdaInvoke rule). */
export const jobEventSchema = z.object({
  'CodePipeline.job': z.object({
    id: z.string().min(1).max(128),
    data: z
      .object({
        actionConfiguration: z
          .object({ configuration: z.object({ UserParameters: z.string().optional() }).optional() })
          .optional(),
        continuationToken: z.string().min(1).optional(),
      })
      .optional(),
  }),
});
export type JobEvent = z.infer<typeof jobEventSchema>;

/** CodePipeline's limits on a failure message and an execution summary. */
const MESSAGE_MAX = 5000;
const SUMMARY_MAX = 2048;

let client: CodePipelineClient | undefined;
/** Created on first use, with the Lambda environment's region and credentials. */
const codePipeline = (): CodePipelineClient => {
  client ??= new CodePipelineClient({});
  return client;
};

export const putJobSuccess = async (jobId: string, result: JobSuccess): Promise<void> => {
  await codePipeline().send(
    new PutJobSuccessResultCommand({
      jobId,
      executionDetails: {
        summary: result.summary.slice(0, SUMMARY_MAX),
        ...(result.externalExecutionId === undefined
          ? {}
          : { externalExecutionId: result.externalExecutionId }),
      },
      ...(result.continuationToken === undefined ? {} : { continuationToken: result.continuationToken }),
      ...(result.outputVariables === undefined ? {} : { outputVariables: result.outputVariables }),
    }),
  );
};

export const putJobFailure = async (
  jobId: string,
  type: FailureType,
  message: string,
  externalExecutionId?: string,
): Promise<void> => {
  await codePipeline().send(
    new PutJobFailureResultCommand({
      jobId,
      failureDetails: {
        type,
        message: message.slice(0, MESSAGE_MAX),
        ...(externalExecutionId === undefined ? {} : { externalExecutionId }),
      },
    }),
  );
};

/** Send the domain's answer to the job. */
export const answerJob = async (jobId: string, answer: JobAnswer): Promise<void> => {
  if ('success' in answer) return putJobSuccess(jobId, answer.success);
  const { type, message, externalExecutionId } = answer.failure;
  return putJobFailure(jobId, type, message, externalExecutionId);
};
