import { describe, expect, it } from 'vitest';
import { lines, simulate } from './support.ts';

/**
 * A long case: 5 phases with 6-hour bakes, checked every minute (1,800 checks), runs to the end on the
 * virtual clock, continuing as new as the executions fill up. No timing assertion: the bench
 * (`node test/bench/run.ts rollout-simulate`) measures issue 4 §4's 1-day bakes.
 */
const ENVS = ['dev', 'staging', 'prod-eu', 'prod-us', 'prod-ap'];
const catalog = {
  environments: ENVS.map((name) => ({ name })),
  teams: [{ name: 'identity' }],
  namespaces: [{ name: 'identity', owner: 'identity' }],
  parameters: [{ key: 'identity.session.ttlSeconds', type: 'integer', default: 3600 }],
  roles: [{ principal: 'olivia', roles: ['release-manager'] }],
};

describe('a long simulated rollout', () => {
  it('completes 5 phases × PT6H with a check every minute', { timeout: 30 * 60_000 }, async () => {
    const run = await simulate({
      catalog: { document: catalog },
      strategy: {
        name: 'thirty-hours',
        phases: ENVS.map((env) => ({ name: env, environments: [env], bake: 'PT6H' })),
        health: { alarms: ['{env}-5xx-rate'], interval: 'PT1M' },
      },
    });
    expect(run.outcome).toBe('succeeded');
    // A check a minute; the round that hands over to a fresh execution has none.
    expect(run.wall.checks).toBeGreaterThan(5 * 360 - 5);
    expect(run.wall.checks).toBeLessThanOrEqual(5 * 360);
    expect(lines(run.timeline, ['PhaseDeployed', 'Succeeded'])).toEqual([
      '+00:00:00 PhaseDeployed dev dev',
      '+06:00:00 PhaseDeployed staging staging',
      '+12:00:00 PhaseDeployed prod-eu prod-eu',
      '+18:00:00 PhaseDeployed prod-us prod-us',
      '+24:00:00 PhaseDeployed prod-ap prod-ap',
      '+30:00:00 Succeeded prod-ap -',
    ]);
    // Each execution hands over to a fresh one well below Step Functions' history limit.
    expect(lines(run.timeline, ['ContinuedAsNew']).length).toBeGreaterThanOrEqual(1);
  });
});
