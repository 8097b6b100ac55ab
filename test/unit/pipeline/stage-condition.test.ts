import { describe, expect, it } from 'vitest';
import { compileWindows } from '#domain/freeze/freeze-status.ts';
import { evaluateStage, stageTargets } from '#domain/pipeline/stage-condition.ts';
import { oneOff } from '../freeze/support/windows.ts';

const at = '2026-12-01T12:00:00Z';
const known = new Set(['dev', 'prod-eu', 'prod-us']);
const windows = [
  oneOff('launch', '2026-12-01T08:00:00Z', '2026-12-01T20:00:00Z', { scope: { environments: ['prod-*'] } }),
  oneOff('eu-soft', '2026-12-01T08:00:00Z', '2026-12-01T20:00:00Z', {
    scope: { environments: ['prod-eu'] },
    level: 'soft',
  }),
  oneOff('deploys-only', '2026-12-01T08:00:00Z', '2026-12-01T20:00:00Z', {
    scope: { environments: ['prod-us'], changeKinds: ['deploy'] },
    level: 'soft',
  }),
  oneOff('past', '2026-11-01T08:00:00Z', '2026-11-01T20:00:00Z'),
];

describe('the stage condition', () => {
  it.each([
    [['dev'], 'open', 'No freeze applies to dev.'],
    [['prod-eu'], 'frozen', 'Frozen: prod-eu (hard) by launch, eu-soft.'],
    [['dev', 'prod-us'], 'frozen', 'Frozen: prod-us (hard) by launch, deploys-only.'],
    [['dev', 'staging'], 'invalid', 'Unknown environment(s): staging.'],
  ] as const)('%j is %s: %s', (environments, status, message) => {
    const result = evaluateStage(compileWindows(windows), known, environments, at);
    expect(result).toMatchObject({ status, message });
  });

  it('names each environment, its level and windows', () => {
    expect(evaluateStage(compileWindows(windows), known, ['dev', 'prod-eu'], at).environments).toEqual([
      { environment: 'dev', frozen: false, level: null, windows: [] },
      { environment: 'prod-eu', frozen: true, level: 'hard', windows: ['launch', 'eu-soft'] },
    ]);
  });

  it.each([
    ['{"environments": ["dev", "prod-eu"]}', undefined, ['dev', 'prod-eu']],
    ['{"environment": "dev"}', undefined, ['dev']],
    ['dev, prod-eu', undefined, ['dev', 'prod-eu']],
    [undefined, { environment: 'dev' }, ['dev']],
    [undefined, { environments: [] }, /^Invalid stage condition input: environments /],
    ['{"stage": "x"}', undefined, /^Invalid stage condition input: input must be/],
  ] as const)('UserParameters %s, input %o: %s', (userParameters, input, expected) => {
    const targets = stageTargets(userParameters, input);
    if (expected instanceof RegExp) expect(targets).toMatch(expected);
    else expect(targets).toEqual(expected);
  });
});
