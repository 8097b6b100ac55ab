import type { AlarmState } from '#domain/rollout/events.ts';

/** The error DescribeAlarms fails with during a simulated outage (as the aws-sdk integration names it). */
export const OUTAGE_ERROR = 'CloudWatch.InternalServiceFaultException';

/**
 * The embedded runtime's CloudWatch alarms: a person (`convoy alarm set|outage`) or a test flips them.
 * `describeAlarms` answers like the `aws-sdk:cloudwatch:describeAlarms` integration: the named alarms
 * that exist (unknown names are left out, as CloudWatch does), or an error while the outage is on.
 */
export class LocalAlarms {
  private readonly states = new Map<string, AlarmState>();
  private down = false;

  set(name: string, state: AlarmState): void {
    this.states.set(name, state);
  }

  outage(on: boolean): void {
    this.down = on;
  }

  get inOutage(): boolean {
    return this.down;
  }

  /** Every alarm set so far, by name (answers during an outage too: it is the local source's own view). */
  list(): { name: string; state: AlarmState }[] {
    return [...this.states]
      .map(([name, state]) => ({ name, state }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  describeAlarms(parameters: unknown): { MetricAlarms: { AlarmName: string; StateValue: AlarmState }[] } {
    if (this.down) {
      throw Object.assign(new Error('CloudWatch is unavailable (local outage)'), { name: OUTAGE_ERROR });
    }
    const requested = (parameters as { AlarmNames?: unknown } | null)?.AlarmNames;
    const names = Array.isArray(requested) ? requested.map(String) : [...this.states.keys()];
    return {
      MetricAlarms: names.flatMap((name) => {
        const state = this.states.get(name);
        return state === undefined ? [] : [{ AlarmName: name, StateValue: state }];
      }),
    };
  }
}
