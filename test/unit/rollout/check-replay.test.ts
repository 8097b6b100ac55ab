import { describe, expect, it } from 'vitest';
import { recordedDecision, REPLAY_WINDOW, supersededBy } from '#domain/rollout/check-replay.ts';
import { initialRolloutState } from '#domain/rollout/state.ts';
import { checked, stream, type Draft } from './fixtures.ts';

const decidedCheck = (check: string, action?: 'continue' | 'rollback', reason?: string): Draft => ({
  ...(checked('canary') as Extract<Draft, { type: 'HealthChecked' }>),
  check,
  ...(action ? { action } : {}),
  ...(reason ? { reason } : {}),
});
const filler = (n: number): Draft[] => Array.from({ length: n }, () => checked('canary'));

describe('replay: a retried Decide answers with the decision recorded for its check', () => {
  it.each([
    [
      'the check is recorded with its decision',
      [decidedCheck('x:1', 'rollback', 'alarm')],
      { action: 'rollback', reason: 'alarm' },
    ],
    ['the decision has no reason', [decidedCheck('x:1', 'continue')], { action: 'continue', reason: '' }],
    [
      'the newest event of the check wins',
      [decidedCheck('x:1', 'continue'), decidedCheck('x:1', 'rollback', 'r')],
      { action: 'rollback', reason: 'r' },
    ],
    ['another check is recorded', [decidedCheck('x:2', 'rollback')], undefined],
    ['the check is recorded without a decision', [decidedCheck('x:1')], undefined],
    ['nothing is recorded', [], undefined],
    [
      `the check is within the last ${REPLAY_WINDOW} events`,
      [decidedCheck('x:1', 'continue'), ...filler(REPLAY_WINDOW - 1)],
      { action: 'continue', reason: '' },
    ],
    [
      `the check is older than the last ${REPLAY_WINDOW} events`,
      [decidedCheck('x:1', 'continue'), ...filler(REPLAY_WINDOW)],
      undefined,
    ],
  ] as const)('when %s', (_when, drafts, expected) => {
    const events = stream(drafts.map((d) => [0, d] as const));
    expect(recordedDecision(events, 'x:1')).toEqual(expected);
  });
});

describe('superseded: an execution the rollout handed over from decides nothing', () => {
  it.each([
    ['exec-2', 'exec-1', 'exec-2'],
    ['exec-1', 'exec-1', undefined],
    ['exec-1', undefined, undefined],
    [null, 'exec-1', undefined],
  ] as const)(
    'the rollout runs in %s, the deciding execution is %s: superseded by %s',
    (current, execution, expected) => {
      const state = { ...initialRolloutState(), executionName: current };
      expect(supersededBy(state, execution)).toBe(expected);
    },
  );
});
