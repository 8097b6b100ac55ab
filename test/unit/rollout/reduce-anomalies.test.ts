import { describe, expect, it } from 'vitest';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import type { RolloutEvent } from '#domain/rollout/events.ts';
import type { Draft } from './fixtures.ts';
import { checked, deployed, happyTwoPhases, started, stream } from './fixtures.ts';

const begin: Array<[number, Draft]> = [
  [0, started()],
  [0, { type: 'PhaseStarted', phase: 'first' }],
];
const deployedFirst: Array<[number, Draft]> = [
  ...begin,
  [1, deployed('first', 'dev')],
  [2, deployed('first', 'staging')],
];
const bakedFirst: Array<[number, Draft]> = [
  ...deployedFirst,
  [3, checked('first')],
  [3, { type: 'PhaseBaked', phase: 'first' }],
];
const rollingBack: Array<[number, Draft]> = [...deployedFirst, [3, { type: 'RollbackStarted', reason: 'x' }]];
const paused: Array<[number, Draft]> = [...deployedFirst, [3, { type: 'Paused', reason: 'x' }]];

describe('reduceRollout: invalid transitions are ignored and recorded, never thrown', () => {
  it.each<[string, Array<[number, Draft]>, Draft, RegExp]>([
    [
      'an event before RolloutStarted',
      [],
      { type: 'PhaseStarted', phase: 'first' },
      /must start with RolloutStarted/,
    ],
    ['a second RolloutStarted', begin, started(), /already started/],
    [
      'a phase out of order',
      [[0, started()]],
      { type: 'PhaseStarted', phase: 'second' },
      /next phase is first, not second/,
    ],
    ['a phase past the last one', [[0, started()]], { type: 'PhaseStarted', phase: 'third' }, /not third/],
    [
      'the next phase before the current one baked',
      deployedFirst,
      { type: 'PhaseStarted', phase: 'second' },
      /first is baking, not baked/,
    ],
    [
      'a phase started while paused',
      [...bakedFirst, [4, { type: 'Paused', reason: 'x' }]],
      { type: 'PhaseStarted', phase: 'second' },
      /while paused/,
    ],
    ['a deployment for another phase', begin, deployed('second', 'prod-eu'), /not the current phase/],
    [
      'a deployment before any phase started',
      [[0, started()]],
      deployed('first', 'dev'),
      /current phase \(none\)/,
    ],
    [
      'a deployment to an environment outside the phase',
      begin,
      deployed('first', 'prod-us'),
      /does not deploy to prod-us/,
    ],
    [
      'the same environment deployed twice',
      [...begin, [1, deployed('first', 'dev')]],
      deployed('first', 'dev', 2),
      /already deployed/,
    ],
    [
      'a deployment once the phase is baking',
      deployedFirst,
      deployed('first', 'dev', 2),
      /baking, not deploying/,
    ],
    ['a health check before any phase started', [[0, started()]], checked('first'), /while pending/],
    ['a health check while rolling back', rollingBack, checked('first'), /do not apply while rolling-back/],
    ['a health check for another phase', deployedFirst, checked('second'), /not the current phase/],
    [
      'a bake completed while paused',
      paused,
      { type: 'PhaseBaked', phase: 'first' },
      /cannot complete its bake/,
    ],
    [
      'a bake completed before deployment',
      begin,
      { type: 'PhaseBaked', phase: 'first' },
      /cannot complete its bake/,
    ],
    [
      'a bake for another phase',
      deployedFirst,
      { type: 'PhaseBaked', phase: 'second' },
      /not the current phase/,
    ],
    [
      'an approval requested before the bake',
      deployedFirst,
      { type: 'ApprovalRequested', phase: 'first' },
      /after the bake/,
    ],
    [
      'an approval requested for another phase',
      bakedFirst,
      { type: 'ApprovalRequested', phase: 'second' },
      /not the current phase/,
    ],
    [
      'an approval granted that nobody asked for',
      bakedFirst,
      { type: 'ApprovalGranted', phase: 'first', by: 'o' },
      /no approval is pending/,
    ],
    [
      'an approval granted for another phase',
      bakedFirst,
      { type: 'ApprovalGranted', phase: 'second', by: 'o' },
      /not the current phase/,
    ],
    [
      'an approval rejected that nobody asked for',
      bakedFirst,
      { type: 'ApprovalRejected', phase: 'first', by: 'o', reason: 'r' },
      /no approval is pending/,
    ],
    [
      'an approval timeout that nobody asked for',
      bakedFirst,
      { type: 'ApprovalTimedOut', phase: 'first' },
      /no approval is pending/,
    ],
    [
      'a pause while rolling back',
      rollingBack,
      { type: 'Paused', reason: 'x' },
      /cannot pause a rollout that is rolling-back/,
    ],
    [
      'a pause while paused',
      paused,
      { type: 'Paused', reason: 'again' },
      /cannot pause a rollout that is paused/,
    ],
    [
      'a resume while running',
      deployedFirst,
      { type: 'Resumed', by: 'o' },
      /cannot resume a rollout that is running/,
    ],
    ['a promotion before the bake', begin, { type: 'Promoted', by: 'o' }, /only a running, baking phase/],
    ['a promotion while paused', paused, { type: 'Promoted', by: 'o' }, /only a running, baking phase/],
    [
      'an abort while already rolling back',
      rollingBack,
      { type: 'AbortRequested', by: 'o', reason: 'r' },
      /already rolling back/,
    ],
    [
      'an environment rolled back while running',
      deployedFirst,
      { type: 'PhaseRolledBack', phase: 'first', environment: 'dev', deploymentId: 'd' },
      /while running/,
    ],
    [
      'an environment rolled back twice',
      [
        ...rollingBack,
        [4, { type: 'PhaseRolledBack', phase: 'first', environment: 'dev', deploymentId: 'd' }],
      ],
      { type: 'PhaseRolledBack', phase: 'first', environment: 'dev', deploymentId: 'd' },
      /nothing left to roll back/,
    ],
    [
      'a rollback finished that never started',
      deployedFirst,
      { type: 'RolledBack' },
      /cannot finish a rollback while running/,
    ],
    [
      'success before every phase baked',
      bakedFirst,
      { type: 'Succeeded' },
      /phase second is pending, not baked/,
    ],
    ['success while paused', paused, { type: 'Succeeded' }, /cannot succeed while paused/],
  ])('%s', (_rule, prefix, event, reason) => {
    const before = reduceRollout(stream(prefix));
    const after = reduceRollout(stream([[9, event]], prefix.length + 1), before);
    expect(after.anomalies).toEqual([
      {
        seq: prefix.length + 1,
        at: expect.any(String),
        type: event.type,
        reason: expect.stringMatching(reason),
      },
    ]);
    expect({ ...after, anomalies: [] }).toEqual({ ...before, anomalies: [] });
  });

  it('ignores a duplicate or out-of-order seq (a retried append)', () => {
    const events = happyTwoPhases();
    const retried: RolloutEvent[] = [...events.slice(0, 3), events[2]!, ...events.slice(3)];
    const state = reduceRollout(retried);
    expect(state.anomalies).toEqual([
      expect.objectContaining({ seq: 3, reason: expect.stringMatching(/duplicate or out of order/) }),
    ]);
    expect({ ...state, anomalies: [] }).toEqual(reduceRollout(events));
  });

  it.each<[string, Draft]>([
    ['Failed', { type: 'Failed', reason: 'late' }],
    ['RollbackStarted', { type: 'RollbackStarted', reason: 'late' }],
    ['ContinuedAsNew', { type: 'ContinuedAsNew', executionName: 'late' }],
    ['FreezeApplied', { type: 'FreezeApplied', policy: 'pause', windows: [] }],
    ['a late deployment', deployed('second', 'prod-eu', 9)],
  ])('after a terminal status, %s changes nothing', (_name, draft) => {
    const done = reduceRollout(happyTwoPhases());
    const after = reduceRollout(stream([[99, draft]], 100), done);
    expect(after.status).toBe('succeeded');
    expect(after.anomalies).toEqual([
      expect.objectContaining({ reason: 'the rollout already ended succeeded' }),
    ]);
  });

  it('a carried state that lost where it paused from resumes to running', () => {
    const paused = { ...reduceRollout(stream(deployedFirst)), status: 'paused' as const, pausedFrom: null };
    expect(reduceRollout(stream([[5, { type: 'Resumed', by: 'o' }]], 9), paused).status).toBe('running');
  });

  it('a strategy whose bake cannot be read bakes for zero rather than throwing', () => {
    const draft = started();
    if (draft.type !== 'RolloutStarted') throw new Error('fixture');
    const broken = {
      ...draft,
      strategy: { ...draft.strategy, phases: [{ name: 'first', environments: ['dev'], bake: 'P1M' }] },
    };
    const state = reduceRollout(
      stream([
        [0, broken],
        [0, { type: 'PhaseStarted', phase: 'first' }],
        [1, deployed('first', 'dev')],
      ]),
    );
    expect(state.phases[0]).toMatchObject({ bakeMs: 0, status: 'baking' });
  });

  it('a deployment stamped with an unreadable time keeps the text rather than throwing', () => {
    const events = stream([...begin, [1, deployed('first', 'dev')], [2, deployed('first', 'staging')]]);
    for (const at of ['not-a-time', '+275760-09-13T00:00:00.000Z']) {
      const last: RolloutEvent = { ...events[3]!, at };
      expect(reduceRollout([...events.slice(0, 3), last]).phases[0]?.bakedUntil).toBe(at);
    }
  });
});
