import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { make } from '#functions/pipeline/stage-condition.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { paymentsLaunch, yearEnd } from '../../support/freeze.ts';
import { seedRolloutWorld } from '../rollout-api/support.ts';

const codePipeline = mockClient(CodePipelineClient);
const context = { functionName: 'convoy-stage-condition', awsRequestId: 'test' } as Context;
const job = (id: string, userParameters?: string) => ({
  'CodePipeline.job': {
    id,
    data: {
      actionConfiguration: {
        configuration: {
          FunctionName: 'f',
          ...(userParameters === undefined ? {} : { UserParameters: userParameters }),
        },
      },
    },
  },
});
const successes = () => codePipeline.commandCalls(PutJobSuccessResultCommand).map((c) => c.args[0].input);
const failures = () => codePipeline.commandCalls(PutJobFailureResultCommand).map((c) => c.args[0].input);

describe('the CodePipeline stage condition', () => {
  let api: TestApi;
  let handler: ReturnType<typeof make>;
  beforeAll(async () => {
    api = await createTestApi();
    handler = make(api.deps);
    await seedRolloutWorld(api);
    for (const window of [yearEnd, paymentsLaunch]) {
      expect((await api.call('POST', '/freezes', { body: window })).status).toBe(201);
    }
  });
  beforeEach(() => {
    codePipeline.reset();
    codePipeline.on(PutJobSuccessResultCommand).resolves({});
    codePipeline.on(PutJobFailureResultCommand).resolves({});
    api.clock.now = new Date('2026-11-23T10:00:00Z');
  });

  it.each([
    ['a direct list', { environments: ['prod-eu', 'prod-us'] }],
    ['one environment', { environment: 'prod-eu' }],
    ['the rule UserParameters as JSON', { UserParameters: '{"environments":["prod-eu","prod-us"]}' }],
    ['the rule UserParameters as a list', { UserParameters: 'prod-eu, prod-us' }],
    ['a configuration block', { configuration: { UserParameters: '{"environment":"prod-eu"}' } }],
  ])('succeeds outside any freeze, from %s', async (_case, event) => {
    const result = await handler(event, context);
    expect(result.status).toBe('open');
    expect(result.message).toMatch(/^No freeze applies to prod-eu/);
    expect(result.environments[0]).toEqual({
      environment: 'prod-eu',
      frozen: false,
      level: null,
      windows: [],
    });
  });

  it('fails (the rule errors) while an environment is frozen, naming the windows', async () => {
    api.clock.now = new Date('2026-12-21T10:00:00Z');
    await expect(handler({ environments: ['dev', 'prod-us'] }, context)).rejects.toMatchObject({
      name: 'Convoy.StageCondition',
      message: 'Frozen: prod-us (hard) by Year-end freeze.',
    });
  });

  it('counts a namespace-scoped window as freezing the stage (a stage does not know the bundle)', async () => {
    api.clock.now = new Date('2026-12-01T10:00:00Z');
    await expect(handler({ environment: 'prod-eu' }, context)).rejects.toThrow(
      'Frozen: prod-eu (soft) by Payments launch.',
    );
  });

  it('answers a job event with PutJobSuccessResult or PutJobFailureResult', async () => {
    const open = await handler(job('job-1', '{"environments":["prod-eu"]}'), context);
    expect(open.status).toBe('open');
    expect(successes()).toEqual([
      { jobId: 'job-1', executionDetails: { summary: 'No freeze applies to prod-eu.' } },
    ]);
    api.clock.now = new Date('2026-12-21T10:00:00Z');
    const frozen = await handler(job('job-2', 'prod-eu'), context);
    expect(frozen).toMatchObject({
      status: 'frozen',
      environments: [{ environment: 'prod-eu', frozen: true, level: 'hard', windows: ['Year-end freeze'] }],
    });
    expect(failures()).toEqual([
      {
        jobId: 'job-2',
        failureDetails: { type: 'JobFailed', message: 'Frozen: prod-eu (hard) by Year-end freeze.' },
      },
    ]);
  });

  it('answers an invalid job with a ConfigurationError', async () => {
    const result = await handler(job('job-3', '{"environments":[]}'), context);
    expect(result).toMatchObject({ status: 'invalid', environments: [] });
    expect(failures()).toEqual([
      {
        jobId: 'job-3',
        failureDetails: { type: 'ConfigurationError', message: expect.stringMatching(/environments/) },
      },
    ]);
  });

  it.each([
    ['no environments', {}, /Invalid stage condition input: input must be/],
    ['an empty list', { environments: [] }, /Invalid stage condition input/],
    ['a hostile name', { environment: '../prod' }, /Invalid stage condition input/],
    ['an unknown environment', { environments: ['prod-eu', 'qa'] }, /Unknown environment\(s\): qa/],
    ['no event at all', null, /Invalid stage condition input/],
  ])('fails closed on %s', async (_case, event, message) => {
    await expect(handler(event, context)).rejects.toThrow(message);
    expect(successes()).toEqual([]);
  });

  it('throws on a transient failure, answering no job (Lambda retries)', async () => {
    const freezes = { ...api.store.freezes, listWindows: () => Promise.reject(new Error('DynamoDB down')) };
    api.deps.store = { ...api.store, freezes };
    try {
      await expect(handler(job('job-5', 'prod-eu'), context)).rejects.toThrow('DynamoDB down');
    } finally {
      api.deps.store = api.store;
    }
    expect([...successes(), ...failures()]).toEqual([]);
  });

  it('fails closed without a catalog', async () => {
    const empty = await createTestApi();
    await expect(make(empty.deps)({ environment: 'prod-eu' }, context)).rejects.toThrow(
      /Unknown environment/,
    );
    await empty.table.drop();
  });
});
