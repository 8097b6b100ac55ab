import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { jobEventSchema, putJobFailure, putJobSuccess } from '#functions/pipeline/codepipeline-job.ts';

const codePipeline = mockClient(CodePipelineClient);

describe('CodePipeline job results', () => {
  beforeEach(() => {
    codePipeline.reset();
    codePipeline.on(PutJobSuccessResultCommand).resolves({});
    codePipeline.on(PutJobFailureResultCommand).resolves({});
  });

  it('keeps a summary and a message within CodePipeline limits', async () => {
    await putJobSuccess('job-1', { summary: 's'.repeat(3000) });
    await putJobFailure('job-1', 'JobFailed', 'm'.repeat(6000));
    const [success] = codePipeline.commandCalls(PutJobSuccessResultCommand);
    const [failure] = codePipeline.commandCalls(PutJobFailureResultCommand);
    expect(success?.args[0].input).toEqual({
      jobId: 'job-1',
      executionDetails: { summary: 's'.repeat(2048) },
    });
    expect(failure?.args[0].input).toEqual({
      jobId: 'job-1',
      failureDetails: { type: 'JobFailed', message: 'm'.repeat(5000) },
    });
  });

  it('lets a failed CodePipeline call throw (the invocation is retried)', async () => {
    codePipeline.on(PutJobSuccessResultCommand).rejects(new Error('throttled'));
    await expect(putJobSuccess('job-1', { summary: 'ok' })).rejects.toThrow('throttled');
  });
});

describe('jobEventSchema', () => {
  it('reads the job id, UserParameters and continuation token, ignoring the rest of the event', () => {
    const parsed = jobEventSchema.parse({
      'CodePipeline.job': {
        id: 'j',
        accountId: '1',
        data: {
          actionConfiguration: { configuration: { FunctionName: 'f', UserParameters: '{}' } },
          continuationToken: 'ro-1',
          artifactCredentials: {},
        },
      },
    });
    expect(parsed['CodePipeline.job']).toEqual({
      id: 'j',
      data: { actionConfiguration: { configuration: { UserParameters: '{}' } }, continuationToken: 'ro-1' },
    });
  });

  it('refuses an event without a job id', () => {
    expect(jobEventSchema.safeParse({ 'CodePipeline.job': { data: {} } }).success).toBe(false);
  });
});
