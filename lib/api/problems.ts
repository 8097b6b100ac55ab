import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isConvoyError, type ErrorCode } from '#domain/core/errors.ts';

/** The one place where Convoy's error vocabulary becomes HTTP. */
export const statusOf: Record<ErrorCode, number> = {
  'bad-request': 400,
  'validation-failed': 422,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'already-deployed': 409,
  'idempotency.mismatch': 422,
  'precondition-failed': 412,
  'payload-too-large': 413,
  frozen: 423,
  unavailable: 503,
  internal: 500,
};

export const titles: Record<ErrorCode, string> = {
  'bad-request': 'Bad request',
  'validation-failed': 'Validation failed',
  unauthenticated: 'Unauthenticated',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  conflict: 'Conflict',
  'already-deployed': 'Already deployed',
  'idempotency.mismatch': 'Idempotency key mismatch',
  'precondition-failed': 'Precondition failed',
  'payload-too-large': 'Payload too large',
  frozen: 'Frozen',
  unavailable: 'Service unavailable',
  internal: 'Internal error',
};

export const PROBLEM_TYPE_BASE = 'https://convoy.dev/problems/';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

export const problemResult = (
  body: ProblemBody,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode: body.status,
  headers: { 'content-type': 'application/problem+json', ...headers },
  body: JSON.stringify(body),
});

/**
 * RFC 9457 problem+json for any thrown value. Client errors carry their problems and context;
 * server errors (5xx) carry a generic detail only, never a message, stack or cause.
 */
export const toProblem = (error: unknown, instance?: string): ProblemBody => {
  if (!isConvoyError(error) || statusOf[error.code] >= 500) {
    const code: ErrorCode = isConvoyError(error) ? error.code : 'internal';
    return {
      type: `${PROBLEM_TYPE_BASE}${code}`,
      title: titles[code],
      status: statusOf[code],
      code,
      detail:
        code === 'unavailable'
          ? 'A dependency is temporarily unavailable; retry the request.'
          : 'An unexpected error occurred; the request was not applied.',
      ...(instance === undefined ? {} : { instance }),
    };
  }
  return {
    ...error.context,
    type: `${PROBLEM_TYPE_BASE}${error.code}`,
    title: titles[error.code],
    status: statusOf[error.code],
    code: error.code,
    detail: error.message,
    ...(error.problems.length > 0 ? { problems: error.problems } : {}),
    ...(instance === undefined ? {} : { instance }),
  };
};
