import type {
  FlagMetadata,
  EvaluationContext as OpenFeatureContext,
  ResolutionDetails,
} from '@openfeature/server-sdk';
import { ErrorCode } from '@openfeature/server-sdk';
import type { EvaluationContext } from '#domain/flags/context.ts';
import type { EvaluationErrorCode, EvaluationResult } from '#domain/flags/evaluation-result.ts';
import type { FlagValue } from '#domain/flags/flag.ts';
import { formatUnmet } from '#domain/flags/requirements.ts';

const errorCodes: Record<EvaluationErrorCode, ErrorCode> = {
  TYPE_MISMATCH: ErrorCode.TYPE_MISMATCH,
  TARGETING_KEY_MISSING: ErrorCode.TARGETING_KEY_MISSING,
  FLAG_NOT_FOUND: ErrorCode.FLAG_NOT_FOUND,
  PARSE_ERROR: ErrorCode.PARSE_ERROR,
  GENERAL: ErrorCode.GENERAL,
};

/**
 * OpenFeature's context as Convoy's evaluator reads it: dates become ISO text (DATE constraints compare
 * text), everything else passes as is (structures are ignored by constraints, as attributes).
 */
export const toConvoyContext = (context: OpenFeatureContext): EvaluationContext => {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(context)) {
    out[name] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
};

/**
 * Convoy's result as OpenFeature's resolution. Reasons and error codes are OpenFeature's own (plus
 * PREREQUISITE_FAILED and REQUIREMENT_UNMET, custom reasons the spec allows, the unmet services in
 * metadata `unmet`); an error serves the caller's default, as the
 * specification says. `ruleIndex` travels in flag metadata.
 */
export const toResolution = <T extends FlagValue>(
  result: EvaluationResult,
  defaultValue: T,
): ResolutionDetails<T> => {
  const flagMetadata: FlagMetadata = result.ruleIndex === undefined ? {} : { ruleIndex: result.ruleIndex };
  if (result.unmet !== undefined) flagMetadata.unmet = formatUnmet(result.unmet);
  if (result.reason === 'ERROR') {
    return {
      value: defaultValue,
      reason: 'ERROR',
      errorCode: errorCodes[result.errorCode],
      errorMessage: result.errorMessage,
      flagMetadata,
    };
  }
  return { value: result.value as T, variant: result.variant, reason: result.reason, flagMetadata };
};
