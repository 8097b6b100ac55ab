import { describe, expect, it } from 'vitest';
import { OUTAGE_ERROR } from '#local/local-alarms.ts';
import { ScenarioAlarms } from '#local/simulation-world.ts';
import { VirtualClock } from '#local/virtual-clock.ts';
import { scenarioSchema } from '#domain/rollout/scenario-schema.ts';

/** DescribeAlarms as the scenario scripts it, read at the virtual clock's time. */
const T0 = Date.parse('2026-12-01T09:00:00Z');
const scenario = scenarioSchema.parse({
  alarms: [
    { alarm: 'prod-eu-5xx-rate', state: 'ALARM', from: 'PT50M', to: 'PT1H10M' },
    { alarm: 'prod-eu-checkout-p99', state: 'INSUFFICIENT_DATA', from: 'PT0S' },
    { alarm: 'prod-eu-latency', state: 'MISSING', from: 'PT0S' },
  ],
  monitoring: [{ from: 'PT2H', to: 'PT2H10M' }],
});

const at = (minutes: number) => {
  const clock = new VirtualClock({ start: T0 + minutes * 60_000 });
  return new ScenarioAlarms(scenario, clock, T0);
};
const names = ['prod-eu-5xx-rate', 'prod-eu-checkout-p99', 'prod-eu-latency', 'prod-us-5xx-rate'];
const states = (alarms: ScenarioAlarms) =>
  alarms.describeAlarms({ AlarmNames: names }).MetricAlarms.map((a) => `${a.AlarmName} ${a.StateValue}`);

describe('ScenarioAlarms', () => {
  it.each([
    [0, ['prod-eu-5xx-rate OK', 'prod-eu-checkout-p99 INSUFFICIENT_DATA', 'prod-us-5xx-rate OK']],
    [50, ['prod-eu-5xx-rate ALARM', 'prod-eu-checkout-p99 INSUFFICIENT_DATA', 'prod-us-5xx-rate OK']],
    [70, ['prod-eu-5xx-rate OK', 'prod-eu-checkout-p99 INSUFFICIENT_DATA', 'prod-us-5xx-rate OK']],
  ])('answers the states scripted at +%i min (unscripted OK, MISSING left out)', (minutes, expected) => {
    expect(states(at(minutes))).toEqual(expected);
  });

  it('fails like CloudWatch during a scripted outage, and counts every call', () => {
    const alarms = at(125);
    expect(() => alarms.describeAlarms({ AlarmNames: names })).toThrow(
      expect.objectContaining({ name: OUTAGE_ERROR }),
    );
    expect(at(130).describeAlarms(null)).toEqual({ MetricAlarms: [] });
    expect(alarms.calls).toBe(1);
  });
});
