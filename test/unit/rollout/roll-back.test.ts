import { describe, expect, it } from 'vitest';
import { restoreTarget, rollbackReason } from '#domain/rollout/roll-back.ts';
import { initialRolloutState, type RolloutState } from '#domain/rollout/state.ts';

describe('the roll-back reason', () => {
  it.each([
    [{ value: 'alarm' }, 'alarm'],
    [
      {
        value: 'workflow task failed: Convoy.ValidationFailed',
        cause: '{"errorType":"x","errorMessage":"b@1 cannot be deployed to prod-us."}',
      },
      'workflow task failed: Convoy.ValidationFailed: b@1 cannot be deployed to prod-us.',
    ],
    [
      { value: 'workflow task failed: States.Timeout', cause: 'The task timed out.' },
      'workflow task failed: States.Timeout: The task timed out.',
    ],
    [{ value: 'x', cause: '{"other":1}' }, 'x: {"other":1}'],
  ])('names a failed task with its own message: %j', (reason, expected) => {
    expect(rollbackReason(reason)).toBe(expected);
  });
});

describe('the deployment a rollback restores', () => {
  const rollout = (deployments: [string, string][]): RolloutState => ({
    ...initialRolloutState(),
    phases: [
      {
        name: 'canary',
        deployments: deployments.map(([environment, deploymentId]) => ({ environment, deploymentId })),
      } as unknown as RolloutState['phases'][number],
    ],
  });

  it.each([
    [
      "the record before the rollout's first deployment there",
      [
        ['prod', 'dpl-prod-5'],
        ['prod', 'dpl-prod-6'],
      ],
      'dpl-prod-4',
    ],
    [
      'none: the rollout made the first deployment (the initial, empty state)',
      [['prod', 'dpl-prod-1']],
      undefined,
    ],
    ['none: the rollout never deployed there', [['dev', 'dpl-dev-3']], undefined],
    ['none: a deployment id that is not a HEAD version', [['prod', 'prod:initial']], undefined],
  ] as const)('%s', (_case, deployments, expected) => {
    expect(restoreTarget(rollout(deployments.map(([e, d]) => [e, d])), 'prod')).toBe(expected);
  });
});
