import { describe, expect, it } from 'vitest';
import { riskSummary } from '#domain/dependencies/risk-summary.ts';
import type { RiskFigures } from '#domain/dependencies/risk-summary.ts';

const none: RiskFigures = {
  teams: 0,
  services: 0,
  environments: 0,
  rollouts: 0,
  bundles: 0,
  cycles: 0,
  unmet: 0,
  freezes: undefined,
};

describe('riskSummary', () => {
  it.each<[Partial<RiskFigures>, string]>([
    [{}, 'touches 0 teams, 0 services in 0 environments'],
    [
      {
        teams: 3,
        services: 7,
        environments: 4,
        rollouts: 1,
        freezes: { count: 1, soonest: { inDays: 3, active: false } },
      },
      'touches 3 teams, 7 services in 4 environments, 1 running rollout, 1 freeze in 3 days',
    ],
    [
      {
        teams: 1,
        services: 1,
        environments: 1,
        bundles: 2,
        rollouts: 2,
        cycles: 1,
        freezes: { count: 2, soonest: { inDays: 0, active: true } },
      },
      'touches 1 team, 1 service in 1 environment, 2 other bundles on the same keys, 2 running rollouts, 2 freezes now, 1 cycle',
    ],
    [{ teams: 2, unmet: 1 }, 'touches 2 teams, 0 services in 0 environments, 1 unmet service requirement'],
    [
      { freezes: { count: 1, soonest: { inDays: 0, active: false } } },
      'touches 0 teams, 0 services in 0 environments, 1 freeze within a day',
    ],
  ])('%j', (figures, text) => {
    expect(riskSummary({ ...none, ...figures })).toBe(text);
  });
});
