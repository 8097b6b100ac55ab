import type { Constraint, ConstraintOperator } from './constraint.ts';
import { constraintOperators } from './constraint.ts';
import type { Percentage } from './flag.ts';
import type { UnleashConstraint, UnleashStrategy } from './unleash-payload.ts';
import { translateRe2Pattern } from './unleash-regex.ts';

/** Unleash strategies hash with seed 0 into 100 buckets (`normalizedStrategyValue`). */
const STRATEGY_BUCKETS = 100;
/** What Unleash's `default` stickiness tries for a strategy's rollout, before falling back to random. */
const DEFAULT_STRATEGY_STICKINESS = ['userId', 'sessionId'];
/** Random stickiness cannot be pure: it is approximated by the default stickiness plus remoteAddress. */
const RANDOM_APPROXIMATION = ['userId', 'sessionId', 'remoteAddress'];

/** What a strategy adds to a rule: constraints and a percentage; `never` when it cannot match. */
export type StrategyCondition =
  | { never: false; constraints: Constraint[]; percentage?: Percentage; warning?: string }
  | { never: true; warning?: string };

const known = new Set<string>(constraintOperators);

/** An Unleash constraint in Convoy's shape; undefined for an operator Unleash would not match either. */
export const convertConstraint = (c: UnleashConstraint | null): Constraint | undefined => {
  if (c === null || !known.has(c.operator)) return undefined;
  return {
    attribute: c.contextName,
    operator: c.operator as ConstraintOperator,
    ...(c.values === undefined ? {} : { values: c.values }),
    ...(c.value === undefined
      ? {}
      : { value: c.operator === 'REGEX' ? translateRe2Pattern(c.value) : c.value }),
    ...(c.inverted ? { inverted: true } : {}),
    ...(c.caseInsensitive ? { caseInsensitive: true } : {}),
  };
};

/** A strategy parameter that is text; Unleash sends every parameter as a string. */
export const textParameter = (
  parameters: Record<string, unknown> | null | undefined,
  name: string,
): string | undefined => {
  const value = parameters?.[name];
  return typeof value === 'string' ? value : undefined;
};

const list = (value: unknown): string[] =>
  typeof value === 'string' && value !== '' ? value.split(/\s*,\s*/) : [];

/** Unleash reads a percentage with `Number` and matches buckets 1..100 `<=` it. */
const weightOf = (value: unknown): number => {
  const n = Math.floor(Number(value));
  return Number.isNaN(n) ? 0 : Math.min(Math.max(n, 0), STRATEGY_BUCKETS);
};

const sample = (weight: number, stickiness: string[], groupId: string): Percentage => ({
  stickiness,
  groupId,
  buckets: STRATEGY_BUCKETS,
  weight,
});

/** A rollout by random: always at 100%, never at 0; otherwise approximated by a sticky percentage. */
const random = (weight: number, groupId: string): StrategyCondition => {
  if (weight >= STRATEGY_BUCKETS) return { never: false, constraints: [] };
  if (weight <= 0) return { never: true };
  return {
    never: false,
    constraints: [],
    percentage: sample(weight, RANDOM_APPROXIMATION, groupId),
    warning: 'random rollout approximated by a sticky one (userId, sessionId, remoteAddress)',
  };
};

const flexible = (parameters: Record<string, unknown>): StrategyCondition => {
  const weight = weightOf(parameters['rollout']);
  const groupId = typeof parameters['groupId'] === 'string' ? parameters['groupId'] : '';
  const stickiness = typeof parameters['stickiness'] === 'string' ? parameters['stickiness'] : 'default';
  if (stickiness === 'random') return random(weight, groupId);
  if (stickiness === 'default') {
    // With neither attribute Unleash draws at random: 100% still matches, 0% never does.
    if (weight >= STRATEGY_BUCKETS) return { never: false, constraints: [] };
    if (weight <= 0) return { never: true };
    return {
      never: false,
      constraints: [],
      percentage: sample(weight, DEFAULT_STRATEGY_STICKINESS, groupId),
    };
  }
  return { never: false, constraints: [], percentage: sample(weight, [stickiness], groupId) };
};

/** The condition of one of Unleash's built-in strategies; custom strategies cannot be imported. */
export const strategyCondition = (strategy: UnleashStrategy): StrategyCondition => {
  const parameters = strategy.parameters ?? {};
  const groupId = typeof parameters['groupId'] === 'string' ? parameters['groupId'] : '';
  switch (strategy.name) {
    case 'default':
      return { never: false, constraints: [] };
    case 'userWithId': {
      const values = list(parameters['userIds']);
      return { never: false, constraints: [{ attribute: 'userId', operator: 'IN', values }] };
    }
    case 'gradualRolloutUserId':
    case 'gradualRolloutSessionId': {
      const attribute = strategy.name === 'gradualRolloutUserId' ? 'userId' : 'sessionId';
      return {
        never: false,
        constraints: [],
        percentage: sample(weightOf(parameters['percentage']), [attribute], groupId),
      };
    }
    case 'gradualRolloutRandom':
      return random(weightOf(parameters['percentage']), groupId);
    case 'flexibleRollout':
      return flexible(parameters);
    case 'remoteAddress': {
      const values = list(parameters['IPs']);
      if (values.length === 0) return { never: true };
      return { never: false, constraints: [{ attribute: 'remoteAddress', operator: 'IN_CIDR', values }] };
    }
    case 'applicationHostname':
      return {
        never: false,
        constraints: [
          {
            attribute: 'hostname',
            operator: 'IN',
            values: list(textParameter(parameters, 'hostNames')?.toLowerCase()),
          },
        ],
        warning: 'applicationHostname reads the context attribute `hostname` (lower case)',
      };
    default:
      return {
        never: true,
        warning: `custom strategy ${strategy.name} cannot be imported; it never matches`,
      };
  }
};
