import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PIPELINE_PRINCIPAL } from '#app/pipeline/pipeline-rollout-action.ts';
import { make } from '#functions/pipeline/rollout-action.ts';
import { createTestApi, fixtureCatalogYaml, type TestApi } from '../../support/api.ts';
import { yearEnd } from '../../support/freeze.ts';
import { advance, deployed, prodFirst, seedRolloutWorld } from '../rollout-api/support.ts';

const codePipeline = mockClient(CodePipelineClient);

const context = { functionName: 'convoy-pipeline', awsRequestId: 'test' } as Context;

const jobEvent = (id: string, options: { userParameters?: string; continuationToken?: string } = {}) => ({
  'CodePipeline.job': {
    id,
    accountId: '111122223333',
    data: {
      actionConfiguration: {
        configuration: {
          FunctionName: 'convoy-pipeline-rollout-action',
          ...(options.userParameters === undefined ? {} : { UserParameters: options.userParameters }),
        },
      },
      inputArtifacts: [],
      outputArtifacts: [],
      ...(options.continuationToken === undefined ? {} : { continuationToken: options.continuationToken }),
    },
  },
});
const params = (bundle = 'checkout-timeouts@3', strategy = 'standard') =>
  JSON.stringify({ bundle, strategy });

const successes = () => codePipeline.commandCalls(PutJobSuccessResultCommand).map((c) => c.args[0].input);
const failures = () => codePipeline.commandCalls(PutJobFailureResultCommand).map((c) => c.args[0].input);

describe('the CodePipeline rollout action', () => {
  let api: TestApi;
  let handler: ReturnType<typeof make>;
  let job = 0;
  const nextJob = () => `0b5f1c2e-0000-4000-8000-${String((job += 1)).padStart(12, '0')}`;

  beforeAll(async () => {
    api = await createTestApi();
    handler = make(api.deps);
    await seedRolloutWorld(api);
  });
  beforeEach(() => {
    codePipeline.reset();
    codePipeline.on(PutJobSuccessResultCommand).resolves({});
    codePipeline.on(PutJobFailureResultCommand).resolves({});
    api.integrations.reset();
    api.clock.now = new Date('2026-11-23T10:00:00Z');
  });

  it('starts the rollout as the pipeline principal and answers with a continuation token', async () => {
    const id = nextJob();
    expect(await handler(jobEvent(id, { userParameters: params() }), context)).toEqual({
      outcome: 'started',
    });
    const [success] = successes();
    const rolloutId = success?.continuationToken as string;
    expect(success).toEqual({
      jobId: id,
      continuationToken: rolloutId,
      executionDetails: {
        summary: `Rollout ${rolloutId} of checkout-timeouts@3 with strategy standard started.`,
        externalExecutionId: rolloutId,
      },
    });
    expect((await api.store.rollouts.get(rolloutId))?.startedBy).toBe(PIPELINE_PRINCIPAL);
    expect(api.integrations.started.map((s) => s.name)).toEqual([rolloutId]);
    expect(failures()).toEqual([]);
  });

  it('is idempotent when CodePipeline retries the same job: one rollout', async () => {
    const id = nextJob();
    await handler(jobEvent(id, { userParameters: params() }), context);
    api.clock.now = new Date('2026-11-23T10:02:00Z');
    await handler(jobEvent(id, { userParameters: params() }), context);
    const tokens = successes().map((s) => s.continuationToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).toBe(tokens[0]);
    const ids = (await api.store.rollouts.list()).map((r) => r.rolloutId);
    expect(ids.filter((rid) => rid === tokens[0])).toHaveLength(1);
  });

  describe('refuses with a readable PutJobFailureResult', () => {
    const cases: [string, string | undefined, 'ConfigurationError' | 'JobFailed', RegExp][] = [
      [
        'UserParameters that are not JSON',
        '{bundle: checkout',
        'ConfigurationError',
        /UserParameters must be JSON like/,
      ],
      ['no UserParameters', undefined, 'ConfigurationError', /UserParameters must be JSON/],
      [
        'UserParameters without a strategy',
        JSON.stringify({ bundle: 'checkout-timeouts@3' }),
        'ConfigurationError',
        /UserParameters\.strategy/,
      ],
      [
        'UserParameters with an unknown field',
        JSON.stringify({ bundle: 'checkout-timeouts@3', strategy: 'standard', force: true }),
        'ConfigurationError',
        /force/,
      ],
      [
        'UserParameters that are not an object',
        '[]',
        'ConfigurationError',
        /Invalid UserParameters: UserParameters /,
      ],
      [
        'a bundle reference without a version',
        params('checkout-timeouts'),
        'ConfigurationError',
        /UserParameters\.bundle must be name@version/,
      ],
      [
        'both a bundle and a release',
        JSON.stringify({ bundle: 'checkout-timeouts@3', release: '2026.12-R1', strategy: 'standard' }),
        'ConfigurationError',
        /UserParameters\.release give either bundle or release, not both/,
      ],
      [
        'neither a bundle nor a release',
        JSON.stringify({ strategy: 'standard' }),
        'ConfigurationError',
        /UserParameters\.bundle is required \(a "name@version"\), or give release instead/,
      ],
      [
        'a release name that is not one',
        JSON.stringify({ release: 'no such release!', strategy: 'standard' }),
        'ConfigurationError',
        /UserParameters\.release must be 1-64 letters/,
      ],
      [
        'a release nothing names',
        JSON.stringify({ release: '2030.01-R1', strategy: 'standard' }),
        'JobFailed',
        /Release 2030\.01-R1 has no manifest and no bundle labelled with it/,
      ],
      [
        'a release not signed off',
        JSON.stringify({ release: '2026.12-R1', strategy: 'standard' }),
        'JobFailed',
        /2026\.12-R1 is not signed off: .*release: the release lacks sign-offs/,
      ],
      [
        'a bundle never pushed',
        params('checkout-timeouts@99'),
        'JobFailed',
        /Bundle checkout-timeouts@99 has not been pushed/,
      ],
      [
        'an unknown strategy',
        params('checkout-timeouts@3', 'canary'),
        'JobFailed',
        /no strategy canary; it has standard, prod-first/,
      ],
    ];
    it.each(cases)('%s, writing nothing', async (_case, userParameters, type, message) => {
      const before = await api.table.dump();
      const id = nextJob();
      const event = jobEvent(id, userParameters === undefined ? {} : { userParameters });
      expect((await handler(event, context)).outcome).toBe(
        type === 'JobFailed' ? 'failed' : 'configuration-error',
      );
      expect(failures()).toEqual([
        { jobId: id, failureDetails: { type, message: expect.stringMatching(message) } },
      ]);
      expect(successes()).toEqual([]);
      expect(await api.table.dump()).toEqual(before);
    });

    it('while the first phase is frozen, naming the windows', async () => {
      expect((await api.call('POST', '/freezes', { body: yearEnd })).status).toBe(201);
      api.clock.now = new Date('2026-12-21T10:00:00Z');
      const rollouts = (await api.store.rollouts.list()).length;
      await handler(
        jobEvent(nextJob(), { userParameters: params('checkout-timeouts@3', prodFirst.name) }),
        context,
      );
      expect(failures()[0]?.failureDetails?.message).toMatch(
        /prod-eu is frozen \(hard\) for rollout-phase by Year-end freeze/,
      );
      expect(await api.store.rollouts.list()).toHaveLength(rollouts);
    });

    it('a catalog without strategies', async () => {
      const other = await createTestApi();
      await seedRolloutWorld(
        other,
        `${fixtureCatalogYaml.trimEnd()}\n  - { principal: 'pipeline:codepipeline', roles: [release-manager] }\n`,
      );
      await make(other.deps)(jobEvent(nextJob(), { userParameters: params() }), context);
      expect(failures()[0]?.failureDetails?.message).toMatch(/no strategy standard; it has none/);
    });
  });

  it('fails the job when the pipeline principal is not a release manager', async () => {
    const other = await createTestApi();
    await seedRolloutWorld(
      other,
      `${fixtureCatalogYaml.trimEnd()}\nstrategies:\n  - ${JSON.stringify(prodFirst)}\n`,
    );
    await make(other.deps)(
      jobEvent(nextJob(), { userParameters: params('checkout-timeouts@3', 'prod-first') }),
      context,
    );
    expect(failures()[0]?.failureDetails?.message).toMatch(/principal pipeline:codepipeline has no role/);
  });

  describe('follows the rollout with its continuation token', () => {
    let rolloutId: string;
    beforeEach(async () => {
      await handler(jobEvent(nextJob(), { userParameters: params() }), context);
      rolloutId = successes()[0]?.continuationToken as string;
      codePipeline.resetHistory();
    });

    it('keeps the token while the rollout runs', async () => {
      await advance(api, rolloutId, deployed('dev', 'dev'));
      const id = nextJob();
      expect(await handler(jobEvent(id, { continuationToken: rolloutId }), context)).toEqual({
        outcome: 'in-progress',
      });
      expect(successes()).toEqual([
        {
          jobId: id,
          continuationToken: rolloutId,
          executionDetails: {
            summary: `Rollout ${rolloutId} is running, phase dev.`,
            externalExecutionId: rolloutId,
          },
        },
      ]);
    });

    it('keeps the token while the rollout is pending', async () => {
      await handler(jobEvent(nextJob(), { continuationToken: rolloutId }), context);
      expect(successes()[0]?.executionDetails?.summary).toBe(`Rollout ${rolloutId} is pending.`);
    });

    it('succeeds with the output variables once the rollout succeeded', async () => {
      const phases = ['dev', 'staging', 'prod-canary', 'prod'];
      const envs = ['dev', 'staging', 'prod-eu', 'prod-us'];
      await advance(
        api,
        rolloutId,
        phases.flatMap((phase, i) => [
          ...deployed(phase, envs[i] as string),
          { type: 'PhaseBaked', phase },
          ...(phase === 'staging'
            ? [
                { type: 'ApprovalRequested', phase },
                { type: 'ApprovalGranted', phase, by: 'olivia' },
              ]
            : []),
        ]),
      );
      await advance(api, rolloutId, [{ type: 'Succeeded' }]);
      const id = nextJob();
      expect(await handler(jobEvent(id, { continuationToken: rolloutId }), context)).toEqual({
        outcome: 'succeeded',
      });
      expect(successes()).toEqual([
        {
          jobId: id,
          executionDetails: { summary: `Rollout ${rolloutId} succeeded.`, externalExecutionId: rolloutId },
          outputVariables: { rolloutId, outcome: 'succeeded' },
        },
      ]);
    });

    it.each([
      [
        'rolled back',
        [
          { type: 'RollbackStarted', reason: 'dev-5xx-rate is in ALARM' },
          { type: 'PhaseRolledBack', phase: 'dev', environment: 'dev', deploymentId: 'dpl-dev-1' },
          { type: 'RolledBack' },
        ],
        'ended rolled-back, phase dev: dev-5xx-rate is in ALARM.',
      ],
      [
        'aborted',
        [
          { type: 'AbortRequested', by: 'olivia', reason: 'wrong bundle' },
          { type: 'PhaseRolledBack', phase: 'dev', environment: 'dev', deploymentId: 'dpl-dev-1' },
          { type: 'RolledBack' },
        ],
        'ended aborted, phase dev: aborted by olivia: wrong bundle.',
      ],
      ['failed', [{ type: 'Failed', reason: 'deploy failed' }], 'ended failed, phase dev: deploy failed.'],
    ])('fails the job when the rollout %s, with its reason', async (_case, events, message) => {
      await advance(api, rolloutId, [...deployed('dev', 'dev'), ...events]);
      const id = nextJob();
      expect(await handler(jobEvent(id, { continuationToken: rolloutId }), context)).toEqual({
        outcome: 'failed',
      });
      expect(failures()).toEqual([
        {
          jobId: id,
          failureDetails: {
            type: 'JobFailed',
            message: `Rollout ${rolloutId} ${message}`,
            externalExecutionId: rolloutId,
          },
        },
      ]);
    });

    it('fails the job when the token names no rollout', async () => {
      await handler(jobEvent(nextJob(), { continuationToken: 'ro-missing' }), context);
      expect(failures()[0]?.failureDetails).toEqual({
        type: 'JobFailed',
        message: 'Rollout ro-missing does not exist.',
        externalExecutionId: 'ro-missing',
      });
      await handler(jobEvent(nextJob(), { continuationToken: '../ro#1' }), context);
      expect(failures()[1]?.failureDetails).toEqual({
        type: 'JobFailed',
        message: 'The continuation token is not a rollout id.',
      });
    });
  });

  it('throws on a transient failure, so Lambda retries the invocation (the job is not answered)', async () => {
    api.integrations.failing.add('workflows');
    await expect(handler(jobEvent(nextJob(), { userParameters: params() }), context)).rejects.toMatchObject({
      code: 'unavailable',
    });
    expect([...successes(), ...failures()]).toEqual([]);
  });

  it('throws on a transient failure while following', async () => {
    const failing = { ...api.store.rollouts, events: () => Promise.reject(new Error('DynamoDB down')) };
    api.deps.store = { ...api.store, rollouts: failing };
    try {
      await expect(handler(jobEvent(nextJob(), { continuationToken: 'ro-any' }), context)).rejects.toThrow(
        'DynamoDB down',
      );
    } finally {
      api.deps.store = api.store;
    }
    expect([...successes(), ...failures()]).toEqual([]);
  });

  it('refuses an event that is not a CodePipeline job', async () => {
    await expect(handler({ bundle: 'checkout-timeouts@3' }, context)).rejects.toThrow(
      /Not a CodePipeline job event/,
    );
  });

  it('starts a rollout of a signed-off release from { release, strategy }, and follows it', async () => {
    const release = '2026.12-R1';
    const view = await api.call('GET', `/releases/${release}`);
    const members: Record<string, string> = { payments: 'priya', identity: 'ivan' };
    for (const { team } of view.json.signoffs.teams as { team: string }[]) {
      const res = await api.call('POST', `/releases/${release}/signoffs`, {
        as: members[team],
        body: { team },
      });
      expect(res.status, res.text).toBe(201);
    }
    const approved = await api.call('POST', `/releases/${release}/signoffs`, { body: { approve: true } });
    expect(approved.status, approved.text).toBe(201);

    const id = nextJob();
    const userParameters = JSON.stringify({ release, strategy: 'standard' });
    expect(await handler(jobEvent(id, { userParameters }), context)).toEqual({ outcome: 'started' });
    const [success] = successes();
    const rolloutId = success?.continuationToken as string;
    expect(success?.executionDetails?.summary).toBe(
      `Rollout ${rolloutId} of release ${release} with strategy standard started.`,
    );
    const stored = await api.store.rollouts.events(rolloutId);
    expect(stored[0]).toMatchObject({
      type: 'RolloutStarted',
      by: PIPELINE_PRINCIPAL,
      release: { name: release },
    });
    // CodePipeline's retry of the same job finds the same rollout.
    await handler(jobEvent(id, { userParameters }), context);
    expect(successes()[1]?.continuationToken).toBe(rolloutId);
    codePipeline.resetHistory();
    expect(await handler(jobEvent(nextJob(), { continuationToken: rolloutId }), context)).toEqual({
      outcome: 'in-progress',
    });
  });
});
