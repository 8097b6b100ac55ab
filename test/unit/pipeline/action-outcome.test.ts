import { describe, expect, it } from 'vitest';
import { ConvoyError, notFound, validationFailed } from '#domain/core/errors.ts';
import {
  followed,
  notARollout,
  refusalMessage,
  refused,
  started,
  userParameters,
} from '#domain/pipeline/action-outcome.ts';
import { initialRolloutState, type RolloutStatus } from '#domain/rollout/state.ts';

describe('refusalMessage', () => {
  it.each([
    ['a not-found', notFound('Bundle b@1 has not been pushed.'), 'Bundle b@1 has not been pushed.'],
    [
      'a validation failure, with its problems',
      validationFailed('The strategy is not valid: 2 problem(s).', [
        { code: 'x', path: 'phases[0].bake', message: 'too short' },
        { code: 'y', message: 'no phases' },
      ]),
      'The strategy is not valid: 2 problem(s). phases[0].bake: too short; no phases',
    ],
    ['a freeze', new ConvoyError('frozen', 'prod-eu is frozen (hard).'), 'prod-eu is frozen (hard).'],
  ])('reports %s as is', (_case, error, message) => {
    expect(refusalMessage(error)).toBe(message);
  });

  it.each([
    ['unavailable', new ConvoyError('unavailable', 'DynamoDB throttled')],
    ['internal', new ConvoyError('internal', 'bug')],
    ['not a Convoy error', new Error('boom')],
  ])('leaves %s to throw', (_case, error) => {
    expect(refusalMessage(error)).toBeUndefined();
  });
});

describe('the pipeline action outcome mapping', () => {
  const rollout = (
    status: RolloutStatus,
    currentPhase: string | null = 'canary',
    reason: string | null = null,
  ) => ({
    ...initialRolloutState(),
    status,
    currentPhase,
    reason,
  });

  it.each([
    [
      'pending',
      null,
      'in-progress',
      { summary: 'Rollout r1 is pending.', externalExecutionId: 'r1', continuationToken: 'r1' },
    ],
    [
      'running',
      'canary',
      'in-progress',
      { summary: 'Rollout r1 is running, phase canary.', externalExecutionId: 'r1', continuationToken: 'r1' },
    ],
    [
      'awaiting-approval',
      'prod',
      'in-progress',
      {
        summary: 'Rollout r1 is awaiting-approval, phase prod.',
        externalExecutionId: 'r1',
        continuationToken: 'r1',
      },
    ],
    [
      'paused',
      'canary',
      'in-progress',
      { summary: 'Rollout r1 is paused, phase canary.', externalExecutionId: 'r1', continuationToken: 'r1' },
    ],
    [
      'rolling-back',
      'canary',
      'in-progress',
      {
        summary: 'Rollout r1 is rolling-back, phase canary.',
        externalExecutionId: 'r1',
        continuationToken: 'r1',
      },
    ],
    [
      'succeeded',
      null,
      'succeeded',
      {
        summary: 'Rollout r1 succeeded.',
        externalExecutionId: 'r1',
        outputVariables: { rolloutId: 'r1', outcome: 'succeeded' },
      },
    ],
  ] as const)('a %s rollout (phase %s) answers %s with success %o', (status, phase, outcome, success) => {
    expect(followed('r1', rollout(status, phase))).toEqual({ outcome, success });
  });

  it.each([
    ['rolled-back', 'canary', 'alarm fired', 'Rollout r1 ended rolled-back, phase canary: alarm fired.'],
    ['aborted', null, 'operator said so', 'Rollout r1 ended aborted: operator said so.'],
    ['failed', 'prod', null, 'Rollout r1 ended failed, phase prod.'],
  ] as const)('a %s rollout (phase %s, reason %s) fails the job: %s', (status, phase, reason, message) => {
    expect(followed('r1', rollout(status, phase, reason))).toEqual({
      outcome: 'failed',
      failure: { type: 'JobFailed', message, externalExecutionId: 'r1' },
    });
  });

  it('a started rollout is followed through its continuation token', () => {
    expect(started({ id: 'r1', bundle: 'b@1', strategy: 'standard' })).toEqual({
      outcome: 'started',
      success: {
        summary: 'Rollout r1 of b@1 with strategy standard started.',
        externalExecutionId: 'r1',
        continuationToken: 'r1',
      },
    });
    expect(started({ id: 'r2', bundle: 'R1@release', release: 'R1', strategy: 's' })).toMatchObject({
      success: { summary: 'Rollout r2 of release R1 with strategy s started.' },
    });
  });

  it.each([
    ['refused', refused('frozen'), { outcome: 'failed', failure: { type: 'JobFailed', message: 'frozen' } }],
    [
      'refused while following',
      refused('gone', 'r1'),
      { outcome: 'failed', failure: { type: 'JobFailed', message: 'gone', externalExecutionId: 'r1' } },
    ],
    [
      'not a rollout',
      notARollout(),
      {
        outcome: 'failed',
        failure: { type: 'JobFailed', message: 'The continuation token is not a rollout id.' },
      },
    ],
  ])('%s fails the job', (_case, answer, expected) => {
    expect(answer).toEqual(expected);
  });

  it.each([
    [
      '{"bundle": "b@1", "strategy": "standard"}',
      { bundle: { name: 'b', version: '1' }, strategy: 'standard' },
    ],
    ['{"release": "2026.12-R1", "strategy": "standard"}', { release: '2026.12-R1', strategy: 'standard' }],
    [
      undefined,
      'UserParameters must be JSON like {"bundle": "name@version", "strategy": "<catalog strategy>"} or {"release": "<release>", "strategy": "<catalog strategy>"}.',
    ],
    [
      '{"bundle": "b@1", "release": "r", "strategy": "s"}',
      /^Invalid UserParameters: UserParameters\.release give either bundle or release, not both\.$/,
    ],
    ['{"strategy": "s"}', /^Invalid UserParameters: UserParameters\.bundle is required/],
    ['{"release": "", "strategy": "s"}', /^Invalid UserParameters: UserParameters\.release /],
    ['{"bundle": "b@1"}', /^Invalid UserParameters: UserParameters\.strategy /],
    ['[]', /^Invalid UserParameters: UserParameters /],
  ] as const)('UserParameters %s read as %s', (text, expected) => {
    const read = userParameters(text);
    if (typeof expected === 'object' && !(expected instanceof RegExp)) {
      expect(read).toEqual(expected);
      return;
    }
    expect(read).toMatchObject({ outcome: 'configuration-error', failure: { type: 'ConfigurationError' } });
    expect('failure' in read && read.failure.message).toMatch(expected);
  });
});
