import type { FlagValue } from './flag.ts';
import type { UnmetRequirement } from './requirements.ts';

/**
 * OpenFeature's resolution reasons, plus PREREQUISITE_FAILED (LaunchDarkly's, for an unmet
 * prerequisite) and REQUIREMENT_UNMET (a deployment requirement the environment's services fail).
 */
export type ServedReason =
  | 'STATIC'
  | 'TARGETING_MATCH'
  | 'SPLIT'
  | 'DEFAULT'
  | 'DISABLED'
  | 'PREREQUISITE_FAILED'
  | 'REQUIREMENT_UNMET';
export type EvaluationReason = ServedReason | 'ERROR';

/** OpenFeature's error codes. */
export type EvaluationErrorCode =
  'TYPE_MISMATCH' | 'TARGETING_KEY_MISSING' | 'FLAG_NOT_FOUND' | 'PARSE_ERROR' | 'GENERAL';

export interface ServedResult {
  value: FlagValue;
  variant: string;
  reason: ServedReason;
  /** The index of the rule that matched (TARGETING_MATCH, SPLIT). */
  ruleIndex?: number;
  /** REQUIREMENT_UNMET: the requirements the environment's services fail, each naming its service. */
  unmet?: UnmetRequirement[];
}

/** No value: the caller (an OpenFeature SDK) serves its own default, as the specification says. */
export interface ErrorResult {
  value?: undefined;
  variant?: undefined;
  unmet?: undefined;
  reason: 'ERROR';
  errorCode: EvaluationErrorCode;
  errorMessage: string;
  ruleIndex?: number;
}

export type EvaluationResult = ServedResult | ErrorResult;

export const errorResult = (
  errorCode: EvaluationErrorCode,
  errorMessage: string,
  ruleIndex?: number,
): ErrorResult => ({
  reason: 'ERROR',
  errorCode,
  errorMessage,
  ...(ruleIndex === undefined ? {} : { ruleIndex }),
});
