import { describe, expect, it } from 'vitest';
import { RAMP_FLAG, rampCatalogDocument, rampFlagBundle } from '../../support/flag-ramp.ts';
import { lines, simulate } from './support.ts';

/**
 * The simulator runs flag rollouts too (issue 12 §2): the bundle deploys the flag to prod-eu at 0%,
 * two flag phases ramp it, and an alarm during the second restores the definition from before the
 * rollout; exposure reports the flag's share over time.
 */
describe('a simulated flag rollout', () => {
  it('ramps 5% → 25%, rolls back on the alarm, and reports the share over time', async () => {
    const run = await simulate({
      catalog: { document: rampCatalogDocument() },
      bundle: { document: rampFlagBundle },
      strategy: {
        name: 'ramp-eu',
        phases: [
          { name: 'deploy-eu', environments: ['prod-eu'], bake: 'PT5M' },
          { name: 'eu-5', environments: ['prod-eu'], bake: 'PT10M', flag: { key: RAMP_FLAG, percent: 5 } },
          { name: 'eu-25', environments: ['prod-eu'], bake: 'PT10M', flag: { key: RAMP_FLAG, percent: 25 } },
        ],
        health: { alarms: ['{env}-5xx-rate'], interval: 'PT1M' },
      },
      scenario: { alarms: [{ alarm: 'prod-eu-5xx-rate', state: 'ALARM', from: 'PT20M', to: 'PT30M' }] },
    });
    expect(run.outcome).toBe('rolled-back');
    expect(lines(run.timeline, ['PhaseDeployed'])).toEqual([
      '+00:00:00 PhaseDeployed deploy-eu prod-eu',
      '+00:05:00 PhaseDeployed eu-5 prod-eu',
      '+00:15:00 PhaseDeployed eu-25 prod-eu',
    ]);
    const eu = run.exposure.find((e) => e.environment === 'prod-eu');
    expect(eu?.rolledBack).toBe(true);
    expect(eu?.flags?.map((f) => `${f.percent ?? 'restored'} ${f.offset}`)).toEqual([
      '5 +00:05:00',
      '25 +00:15:00',
      'restored +00:20:00',
    ]);
  });
});
