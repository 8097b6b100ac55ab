import { formatCycle } from '../dependencies/cycle-path.ts';
import { bucketFor, pickSplit, stickinessOf, stickyValue } from './bucket.ts';
import type { Segment } from './constraint.ts';
import { matchConstraint } from './constraint-match.ts';
import type { EvaluationContext } from './context.ts';
import { TARGETING_KEY } from './context.ts';
import type { ErrorResult, EvaluationResult, ServedReason } from './evaluation-result.ts';
import { errorResult } from './evaluation-result.ts';
import type { Bucketing, Flag, FlagDefinition, FlagType, FlagValue, Rule } from './flag.ts';
import type { UnmetRequirement } from './requirements.ts';
import { unmetForFlag, unmetForVariant } from './requirements.ts';

/** What evaluation reads besides the flag: the environment's flags (prerequisites), segments and clock. */
export interface FlagEnvironment {
  flags: Readonly<Record<string, FlagDefinition>>;
  segments: Readonly<Record<string, Segment>>;
  /** Epoch milliseconds: the instant DATE constraints on `currentTime` compare with. */
  now: number;
  /**
   * Service → version reported by CI/CD in the environment, read by deployment requirements (absent:
   * no service is reported, so every requirement is unmet).
   */
  services?: Readonly<Record<string, string>>;
}

export interface EvaluateOptions {
  /** The type the caller asked for (OpenFeature's typed resolvers); another type is TYPE_MISMATCH. */
  type?: FlagType;
}

/** Prerequisite chains deeper than this are refused, so no definition can exhaust the stack. */
export const MAX_PREREQUISITE_DEPTH = 64;

type RuleOutcome = { matched: false } | { matched: true; variant: string } | ErrorResult;

const serve = (
  key: string,
  flag: FlagDefinition,
  variant: string,
  reason: ServedReason,
  ruleIndex?: number,
): EvaluationResult => {
  const variants = flag.variants as Readonly<Record<string, FlagValue>>;
  if (!Object.hasOwn(variants, variant)) {
    return errorResult('PARSE_ERROR', `flag ${key} serves unknown variant ${variant}`, ruleIndex);
  }
  return {
    value: variants[variant] as FlagValue,
    variant,
    reason,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
  };
};

/** The bucket of the context, or why there is none: no stickiness value. */
const bucketIn = (
  bucketing: Bucketing,
  key: string,
  context: EvaluationContext,
): number | 'missing-targeting-key' | 'missing' => {
  const value = stickyValue(bucketing, context);
  if (value !== undefined) return bucketFor(bucketing, key, value);
  const names = stickinessOf(bucketing);
  return names.length === 1 && names[0] === TARGETING_KEY ? 'missing-targeting-key' : 'missing';
};

const missingKey = (key: string, index: number): ErrorResult =>
  errorResult('TARGETING_KEY_MISSING', `flag ${key} buckets by targetingKey, which the context lacks`, index);

/**
 * A rule's outcome. A stickiness attribute the context lacks makes the rule not match (as in Unleash),
 * except `targetingKey`, the default, whose absence is OpenFeature's TARGETING_KEY_MISSING error.
 */
const applyRule = (
  key: string,
  rule: Rule,
  index: number,
  context: EvaluationContext,
  env: FlagEnvironment,
): RuleOutcome => {
  for (const constraint of rule.constraints) {
    if (!matchConstraint(constraint, context, env.now)) return { matched: false };
  }
  for (const name of rule.segments) {
    const segment = Object.hasOwn(env.segments, name) ? env.segments[name] : undefined;
    if (segment === undefined) {
      return errorResult('PARSE_ERROR', `flag ${key} rule ${index} uses unknown segment ${name}`, index);
    }
    if (!segment.constraints.every((c) => matchConstraint(c, context, env.now))) return { matched: false };
  }
  if (rule.percentage) {
    const bucket = bucketIn(rule.percentage, key, context);
    if (bucket === 'missing-targeting-key') return missingKey(key, index);
    if (bucket === 'missing' || bucket >= rule.percentage.weight) return { matched: false };
  }
  if (rule.variant !== undefined) return { matched: true, variant: rule.variant };
  if (rule.rollout === undefined) {
    return errorResult(
      'PARSE_ERROR',
      `flag ${key} rule ${index} serves neither a variant nor a rollout`,
      index,
    );
  }
  const bucket = bucketIn(rule.rollout, key, context);
  if (bucket === 'missing-targeting-key') return missingKey(key, index);
  if (bucket === 'missing') return { matched: false };
  const entry = pickSplit(rule.rollout.split, bucket);
  if (entry === undefined) {
    return errorResult(
      'PARSE_ERROR',
      `flag ${key} rule ${index} split does not cover bucket ${bucket}`,
      index,
    );
  }
  return { matched: true, variant: entry.variant };
};

const evaluateIn = (
  key: string,
  flag: FlagDefinition,
  context: EvaluationContext,
  env: FlagEnvironment,
  path: readonly string[],
  memo: Map<string, EvaluationResult>,
): EvaluationResult => {
  const known = memo.get(key);
  if (known) return known;
  const result = resolve(key, flag, context, env, path, memo);
  memo.set(key, result);
  return result;
};

const requirementUnmet = (key: string, flag: FlagDefinition, unmet: UnmetRequirement[]): EvaluationResult => {
  const result = serve(key, flag, flag.offVariant, 'REQUIREMENT_UNMET');
  return result.reason === 'ERROR' ? result : { ...result, unmet };
};

/** A served variant whose own requirements are unmet serves `offVariant` instead (REQUIREMENT_UNMET). */
const gated = (
  key: string,
  flag: FlagDefinition,
  result: EvaluationResult,
  services: Readonly<Record<string, string>>,
): EvaluationResult => {
  if (result.reason === 'ERROR' || result.variant === flag.offVariant) return result;
  const unmet = unmetForVariant(flag, result.variant, services);
  return unmet.length === 0 ? result : requirementUnmet(key, flag, unmet);
};

/** Prerequisites are memoised per evaluation, so a diamond of prerequisites is evaluated once per flag. */
const resolve = (
  key: string,
  flag: FlagDefinition,
  context: EvaluationContext,
  env: FlagEnvironment,
  path: readonly string[],
  memo: Map<string, EvaluationResult>,
): EvaluationResult => {
  if (path.includes(key)) {
    const cycle = [...path.slice(path.indexOf(key)), key];
    return errorResult('GENERAL', `prerequisite cycle ${formatCycle(cycle)}`);
  }
  if (path.length >= MAX_PREREQUISITE_DEPTH) {
    return errorResult('GENERAL', `prerequisites of ${path[0]} nest deeper than ${MAX_PREREQUISITE_DEPTH}`);
  }
  if (!flag.enabled || flag.killed) return serve(key, flag, flag.offVariant, 'DISABLED');
  const services = env.services ?? {};
  const unmet = unmetForFlag(flag, services);
  if (unmet.length > 0) return requirementUnmet(key, flag, unmet);
  for (const prerequisite of flag.prerequisites) {
    const parent = Object.hasOwn(env.flags, prerequisite.flag) ? env.flags[prerequisite.flag] : undefined;
    if (parent === undefined) return serve(key, flag, flag.offVariant, 'PREREQUISITE_FAILED');
    const result = evaluateIn(prerequisite.flag, parent, context, env, [...path, key], memo);
    if (result.reason === 'ERROR') return result;
    if (!prerequisite.variants.includes(result.variant)) {
      return serve(key, flag, flag.offVariant, 'PREREQUISITE_FAILED');
    }
  }
  for (const [index, rule] of flag.rules.entries()) {
    const outcome = applyRule(key, rule, index, context, env);
    if ('reason' in outcome) return outcome;
    if (outcome.matched) {
      const reason = rule.variant === undefined ? 'SPLIT' : 'TARGETING_MATCH';
      return gated(key, flag, serve(key, flag, outcome.variant, reason, index), services);
    }
  }
  const reason = flag.rules.length + flag.prerequisites.length === 0 ? 'STATIC' : 'DEFAULT';
  return gated(key, flag, serve(key, flag, flag.defaultVariant, reason), services);
};

/**
 * Evaluate a flag for a context: synchronous, pure, and never throws (a failure is an ERROR result).
 *
 * Order: a disabled or killed flag serves `offVariant` (DISABLED); then a deployment requirement of the
 * flag the environment's services fail serves `offVariant` (REQUIREMENT_UNMET, naming what is unmet);
 * then every prerequisite must
 * evaluate to one of its variants, or `offVariant` is served (PREREQUISITE_FAILED; a prerequisite
 * flag that does not exist is unmet); then the first matching rule serves its variant
 * (TARGETING_MATCH) or its rollout's (SPLIT); with no match `defaultVariant` is served: STATIC when
 * the flag has neither rules nor prerequisites (nothing about the context could change it),
 * DEFAULT otherwise; a variant so chosen whose own requirements are unmet gives way to `offVariant`
 * (REQUIREMENT_UNMET). A prerequisite cycle met while evaluating is an ERROR (GENERAL) naming its path.
 */
export const evaluate = (
  flag: Flag,
  context: EvaluationContext,
  env: FlagEnvironment,
  options: EvaluateOptions = {},
): EvaluationResult => {
  try {
    if (options.type !== undefined && options.type !== flag.type) {
      return errorResult('TYPE_MISMATCH', `flag ${flag.key} is of type ${flag.type}, not ${options.type}`);
    }
    return evaluateIn(flag.key, flag, context, env, [], new Map());
  } catch (error) {
    return errorResult('GENERAL', `flag ${flag.key} could not be evaluated: ${String(error)}`);
  }
};

/** Evaluate the environment's flag `key`: FLAG_NOT_FOUND when it has none. */
export const evaluateKey = (
  key: string,
  context: EvaluationContext,
  env: FlagEnvironment,
  options: EvaluateOptions = {},
): EvaluationResult => {
  const flag = Object.hasOwn(env.flags, key) ? env.flags[key] : undefined;
  if (flag === undefined) return errorResult('FLAG_NOT_FOUND', `flag ${key} is not defined`);
  return evaluate({ ...flag, key }, context, env, options);
};
