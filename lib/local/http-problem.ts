import type { ServerResponse } from 'node:http';
import type { ErrorCode } from '#domain/core/errors.ts';
import { PROBLEM_TYPE_BASE, statusOf, titles } from '#api/problems.ts';

/** Problem codes the local server answers itself, before any handler runs (same vocabulary). */
export type EdgeProblemCode = Extract<
  ErrorCode,
  | 'not-found'
  | 'bad-request'
  | 'unauthenticated'
  | 'method-not-allowed'
  | 'payload-too-large'
  | 'unavailable'
  | 'internal'
>;

/** Write an RFC 9457 problem+json answer from the edge (what API Gateway itself would refuse). */
export const writeProblem = (
  res: ServerResponse,
  code: EdgeProblemCode,
  detail: string,
  options: { instance?: string; headers?: Record<string, string>; extra?: Record<string, unknown> } = {},
): void => {
  const body = JSON.stringify({
    ...options.extra,
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title: titles[code],
    status: statusOf[code],
    code,
    detail,
    ...(options.instance === undefined ? {} : { instance: options.instance }),
  });
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(statusOf[code], {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    ...options.headers,
  });
  res.end(body);
};
