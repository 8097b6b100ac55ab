import type { ServerResponse } from 'node:http';

/** Problem codes the local server answers itself, before any handler runs (same vocabulary). */
export type EdgeProblemCode =
  'not-found' | 'bad-request' | 'forbidden' | 'payload-too-large' | 'unavailable' | 'internal';

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'Payload too large',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** Write an RFC 9457 problem+json answer from the edge (what API Gateway itself would refuse). */
export const writeProblem = (
  res: ServerResponse,
  status: number,
  code: EdgeProblemCode | 'method-not-allowed',
  detail: string,
  options: { instance?: string; headers?: Record<string, string>; extra?: Record<string, unknown> } = {},
): void => {
  const body = JSON.stringify({
    ...options.extra,
    type: `https://convoy.dev/problems/${code}`,
    title: titles[status] ?? 'Error',
    status,
    code,
    detail,
    ...(options.instance === undefined ? {} : { instance: options.instance }),
  });
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    ...options.headers,
  });
  res.end(body);
};
