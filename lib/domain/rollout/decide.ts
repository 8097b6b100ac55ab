import type { AlarmReading, Verdict } from './events.ts';
import { formatIsoDuration } from './iso-duration.ts';
import type { HealthPolicy } from './strategy.ts';

export type HealthAction = 'continue' | 'advance' | 'rollback' | 'pause';

export interface DecideInput {
  /** What DescribeAlarms returned, or 'unavailable' when the call failed. */
  alarms: readonly AlarmReading[] | 'unavailable';
  /** The alarm names the phase watches; any of them missing from `alarms` makes the verdict unknown. */
  expected?: readonly string[];
  consecutiveUnknown: number;
  bakedMs: number;
  bakeMs: number;
  policy: HealthPolicy;
  paused?: boolean;
  promoted?: boolean;
  /** The strategy's `rollback.automatic` (default true). When off, a rollback decision becomes a pause. */
  automaticRollback?: boolean;
}

export interface Decision {
  action: HealthAction;
  verdict: Verdict;
  consecutiveUnknown: number;
  reason: string;
}

interface Reading {
  verdict: Verdict;
  reason: string;
}

const names = (alarms: readonly AlarmReading[]): string => alarms.map((a) => a.name).join(', ');

/** The verdict of one check. Only a complete, readable set of alarms can be healthy. */
export const healthVerdict = (input: Pick<DecideInput, 'alarms' | 'expected' | 'policy'>): Reading => {
  if (input.alarms === 'unavailable')
    return { verdict: 'unknown', reason: 'monitoring unavailable (DescribeAlarms failed)' };
  const alarms = input.alarms;
  const firing = alarms.filter((a) => a.state === 'ALARM');
  if (firing.length > 0) return { verdict: 'unhealthy', reason: `ALARM ${names(firing)}` };
  const present = new Set(alarms.map((a) => a.name));
  const missing = (input.expected ?? []).filter((name) => !present.has(name));
  if (missing.length > 0) return { verdict: 'unknown', reason: `alarm not found: ${missing.join(', ')}` };
  if (alarms.length === 0) return { verdict: 'unknown', reason: 'no alarm was returned' };
  const insufficient = alarms.filter((a) => a.state === 'INSUFFICIENT_DATA');
  if (insufficient.length > 0 && input.policy.insufficientData !== 'ignore') {
    const verdict = input.policy.insufficientData === 'unhealthy' ? 'unhealthy' : 'unknown';
    return { verdict, reason: `INSUFFICIENT_DATA ${names(insufficient)}` };
  }
  return { verdict: 'healthy', reason: 'all alarms OK' };
};

const left = (input: DecideInput): string => formatIsoDuration(Math.max(0, input.bakeMs - input.bakedMs));

/**
 * The decision after one health check, pure. Any ALARM rolls back; monitoring that cannot answer is
 * `unknown` (never healthy) and, after `policy.unknown.after` such checks in a row, triggers the
 * policy's action; a healthy check resets that count. A phase advances only on a healthy check, once
 * its bake is complete or an operator promoted it; a paused rollout never advances.
 */
export const decide = (input: DecideInput): Decision => {
  const { verdict, reason } = healthVerdict(input);
  const consecutiveUnknown = verdict === 'unknown' ? input.consecutiveUnknown + 1 : 0;
  const answer = (action: HealthAction, why: string): Decision => ({
    action,
    verdict,
    consecutiveUnknown,
    reason: why,
  });
  const hold = (why: string): Decision =>
    input.paused ? answer('continue', `${why}; already paused`) : answer('pause', why);
  const rollback = (why: string): Decision =>
    input.automaticRollback === false ? hold(`${why}; automatic rollback is off`) : answer('rollback', why);
  if (verdict === 'unhealthy') return rollback(reason);
  if (verdict === 'unknown') {
    const { after, action } = input.policy.unknown;
    const counted = `${reason} (${consecutiveUnknown} of ${after} unknown checks in a row)`;
    if (consecutiveUnknown < after) return answer('continue', counted);
    return action === 'rollback' ? rollback(counted) : hold(counted);
  }
  if (input.paused) return answer('continue', `${reason}; paused`);
  if (input.promoted) return answer('advance', `${reason}; promoted`);
  if (input.bakedMs >= input.bakeMs) return answer('advance', `${reason}; bake complete`);
  return answer('continue', `${reason}; baking, ${left(input)} left`);
};
