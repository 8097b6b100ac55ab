import { ConvoyError } from '#domain/core/errors.ts';
import { prefixed } from '#domain/core/parse-part.ts';
import { parseWith } from '#domain/core/zod-problems.ts';
import { z } from 'zod';
import type { KeyedResult } from '#domain/flags/evaluate-all.ts';
import type { EvaluationErrorCode, EvaluationReason } from '#domain/flags/evaluation-result.ts';
import { formatUnmet } from '#domain/flags/requirements.ts';
import { etagMatches } from '../conditional.ts';

/**
 * The OpenFeature Remote Evaluation Protocol (OFREP 0.3.0, open-feature/protocol service/openapi.yaml),
 * served per environment at `<api>/environments/{env}`: `POST /ofrep/v1/evaluate/flags/{key}` and the
 * bulk `POST /ofrep/v1/evaluate/flags` with ETag. Requests carry no flag type (its ADR-0003).
 */

/** The spec requires `targetingKey`; Convoy accepts its absence and answers TARGETING_KEY_MISSING only for flags that bucket on it. */
export const ofrepContextSchema = z.looseObject({ targetingKey: z.string().optional() });
export const ofrepEvaluationRequestSchema = z.object({ context: ofrepContextSchema });
export type OfrepEvaluationRequest = z.infer<typeof ofrepEvaluationRequestSchema>;

const metadataSchema = z.record(z.string(), z.union([z.boolean(), z.string(), z.number()]));

export const ofrepReasons = ['STATIC', 'TARGETING_MATCH', 'SPLIT', 'DISABLED', 'UNKNOWN'] as const;
export const ofrepErrorCodes = [
  'PARSE_ERROR',
  'TARGETING_KEY_MISSING',
  'INVALID_CONTEXT',
  'GENERAL',
] as const;

export const ofrepSuccessSchema = z
  .object({
    key: z.string(),
    reason: z.enum(ofrepReasons),
    variant: z.string().optional(),
    value: z.unknown(),
    metadata: metadataSchema.optional(),
  })
  .strict();
export type OfrepSuccess = z.infer<typeof ofrepSuccessSchema>;

export const ofrepFailureSchema = z
  .object({
    key: z.string(),
    errorCode: z.enum(ofrepErrorCodes),
    errorDetails: z.string().optional(),
    metadata: metadataSchema.optional(),
  })
  .strict();
export type OfrepFailure = z.infer<typeof ofrepFailureSchema>;

export const ofrepFlagNotFoundSchema = z
  .object({ key: z.string(), errorCode: z.literal('FLAG_NOT_FOUND'), errorDetails: z.string().optional() })
  .strict();
export type OfrepFlagNotFound = z.infer<typeof ofrepFlagNotFoundSchema>;

export const ofrepBulkSuccessSchema = z
  .object({
    flags: z.array(z.union([ofrepSuccessSchema, ofrepFailureSchema, ofrepFlagNotFoundSchema])),
    metadata: metadataSchema.optional(),
  })
  .strict();
export type OfrepBulkSuccess = z.infer<typeof ofrepBulkSuccessSchema>;

/** A request the server cannot evaluate at all (400), e.g. a body that is not `{ context: {...} }`. */
export const ofrepBulkFailureSchema = z
  .object({ errorCode: z.string(), errorDetails: z.string().optional() })
  .strict();
export type OfrepBulkFailure = z.infer<typeof ofrepBulkFailureSchema>;

export type OfrepEvaluationResponse =
  | { status: 200; body: OfrepSuccess }
  | { status: 400; body: OfrepFailure }
  | { status: 404; body: OfrepFlagNotFound };

/**
 * OFREP lists five reasons. DEFAULT, PREREQUISITE_FAILED and REQUIREMENT_UNMET (no match; an unmet
 * prerequisite; an unmet deployment requirement) answer UNKNOWN, with Convoy's own reason kept in
 * metadata `convoyReason` (and the unmet services in `unmet`) so nothing is lost.
 */
const reasonOf = (reason: Exclude<EvaluationReason, 'ERROR'>): (typeof ofrepReasons)[number] =>
  (ofrepReasons as readonly string[]).includes(reason)
    ? (reason as (typeof ofrepReasons)[number])
    : 'UNKNOWN';

/** TYPE_MISMATCH cannot come from an OFREP request (no type is sent); if it does, it is GENERAL. */
const errorCodeOf = (
  code: Exclude<EvaluationErrorCode, 'FLAG_NOT_FOUND'>,
): (typeof ofrepErrorCodes)[number] => (code === 'TYPE_MISMATCH' ? 'GENERAL' : code);

type Metadata = Record<string, string | number | boolean>;

const metadataOf = (result: KeyedResult): Metadata | undefined => {
  const metadata: Metadata = {};
  if (result.ruleIndex !== undefined) metadata.ruleIndex = result.ruleIndex;
  if (result.reason !== 'ERROR' && reasonOf(result.reason) !== result.reason)
    metadata.convoyReason = result.reason;
  if (result.unmet !== undefined && result.unmet.length > 0) metadata.unmet = formatUnmet(result.unmet);
  return Object.keys(metadata).length === 0 ? undefined : metadata;
};

const withMetadata = <T extends object>(body: T, metadata: Metadata | undefined): T =>
  metadata === undefined ? body : { ...body, metadata };

/** One flag's OFREP answer: 200 with the value, 404 for an unknown flag, 400 for an evaluation error. */
export const ofrepEvaluation = (result: KeyedResult): OfrepEvaluationResponse => {
  const metadata = metadataOf(result);
  if (result.reason !== 'ERROR') {
    const body = {
      key: result.key,
      reason: reasonOf(result.reason),
      variant: result.variant,
      value: result.value,
    };
    return { status: 200, body: withMetadata(body, metadata) };
  }
  if (result.errorCode === 'FLAG_NOT_FOUND') {
    return {
      status: 404,
      body: { key: result.key, errorCode: 'FLAG_NOT_FOUND', errorDetails: result.errorMessage },
    };
  }
  const body = {
    key: result.key,
    errorCode: errorCodeOf(result.errorCode),
    errorDetails: result.errorMessage,
  };
  return { status: 400, body: withMetadata(body, metadata) };
};

export interface OfrepBulkResponse {
  /** The flag set's ETag: the response's ETag header, matched against If-None-Match for 304. */
  etag: string;
  body: OfrepBulkSuccess;
}

/** Every flag for one context, each a success or its own failure, as the bulk endpoint answers (200). */
export const ofrepBulk = (
  results: readonly KeyedResult[],
  etag: string,
  metadata?: Metadata,
): OfrepBulkResponse => ({
  etag,
  body: {
    flags: results.map((result) => ofrepEvaluation(result).body),
    ...(metadata === undefined ? {} : { metadata }),
  },
});

/** If-None-Match holds the current ETag (or `*`, or a list including it): answer 304 without evaluating. */
export const ofrepNotModified = etagMatches;

/**
 * An OFREP body that is not `{ context: {...} }` is 400 as OFREP says, in problem+json naming the
 * field, with OFREP's `errorCode`/`errorDetails` (and `key`) as extension members.
 */
export const parseOfrepRequest = (document: unknown, key?: string): OfrepEvaluationRequest => {
  const parsed = parseWith(ofrepEvaluationRequestSchema, document);
  if (parsed.ok) return parsed.value;
  const problems = prefixed(parsed.problems, 'body');
  const details = problems.map((p) => `${p.path ?? 'body'} ${p.message}`).join('; ');
  throw new ConvoyError('bad-request', `Invalid body: ${details}`, {
    problems,
    context: { ...(key === undefined ? {} : { key }), errorCode: 'INVALID_CONTEXT', errorDetails: details },
  });
};
