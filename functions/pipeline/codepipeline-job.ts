import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
  type FailureType,
} from '@aws-sdk/client-codepipeline';
import { z } from 'zod';
import { isConvoyError } from '#domain/core/errors.ts';

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

export interface JobSuccess {
  summary: string;
  externalExecutionId?: string;
  /** CodePipeline invokes the action again with it; leave out once the work is done. */
  continuationToken?: string;
  /** Only without a continuation token. */
  outputVariables?: Record<string, string>;
}

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

/**
 * A refusal worth reporting to the pipeline as is (a 4xx: not found, invalid, frozen, forbidden), with
 * its problems; anything else (unavailable, internal) is left to throw, so Lambda retries the invocation.
 */
export const refusalMessage = (error: unknown): string | undefined => {
  if (!isConvoyError(error) || ['unavailable', 'internal'].includes(error.code)) return undefined;
  const problems = error.problems.map((p) => `${p.path ?? p.key ?? ''}: ${p.message}`.replace(/^: /, ''));
  return problems.length === 0 ? error.message : `${error.message} ${problems.join('; ')}`;
};
