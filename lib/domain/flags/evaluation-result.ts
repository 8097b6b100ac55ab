import type { FlagValue } from './flag.ts';

/** OpenFeature's resolution reasons, plus PREREQUISITE_FAILED (LaunchDarkly's, for an unmet prerequisite). */
export type ServedReason =
  'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DEFAULT' | 'DISABLED' | 'PREREQUISITE_FAILED';
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
}

/** No value: the caller (an OpenFeature SDK) serves its own default, as the specification says. */
export interface ErrorResult {
  value?: undefined;
  variant?: undefined;
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
