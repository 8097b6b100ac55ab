import { decide } from '#domain/rollout/decide.ts';
import type { DecideInput } from '#domain/rollout/decide.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import { longRollout, standard } from '../../unit/rollout/fixtures.ts';
import type { BenchCase } from '../bench-case.ts';
import { sample } from '../bench-case.ts';

const events = longRollout(10_000);
const check: DecideInput = {
  alarms: [
    { name: 'prod-eu-5xx-rate', state: 'OK' },
    { name: 'prod-eu-checkout-p99', state: 'INSUFFICIENT_DATA' },
  ],
  expected: ['prod-eu-5xx-rate', 'prod-eu-checkout-p99'],
  consecutiveUnknown: 1,
  bakedMs: 20 * 60_000,
  bakeMs: 30 * 60_000,
  policy: standard.health,
};

export const cases: BenchCase[] = [
  {
    name: `rollout: reduceRollout over ${events.length.toLocaleString('en')} events`,
    target: 'median <= 10 ms (issue 4 §7)',
    targetMedianMs: 10,
    run: () =>
      sample(
        () => {
          const state = reduceRollout(events);
          if (state.status !== 'succeeded') throw new Error(`bench stream ended ${state.status}`);
        },
        100,
        5,
      ),
  },
  {
    name: 'rollout: decide one health check',
    target: 'median <= 1 ms (issue 4 §7)',
    targetMedianMs: 1,
    run: () => sample(() => decide(check), 2000, 100),
  },
];
