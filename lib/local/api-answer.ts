import type { ServerResponse } from 'node:http';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';

export interface Readiness {
  /** Fully started (demo seeded): GET /health says ok. */
  ready: boolean;
  /** Handlers may run (storage is up); false answers 503 to every route but /health. Default true. */
  accepting?: boolean;
  [detail: string]: unknown;
}

export interface Answer {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** API Gateway's interpretation of a payload v2 result: bare strings and objects become JSON 200s. */
export const toAnswer = (result: APIGatewayProxyResultV2): Answer => {
  if (typeof result === 'string') {
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(result) };
  }
  if (typeof result !== 'object' || !('statusCode' in result)) {
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify(result)),
    };
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  if (result.cookies && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  const body = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  return { statusCode: result.statusCode ?? 200, headers, body };
};

/** GET /health also reports the embedded runtime's readiness next to the handler's answer. */
export const withReadiness = (answer: Answer, readiness: Readiness): Answer => {
  if (answer.statusCode !== 200 || !String(answer.headers['content-type']).includes('json')) return answer;
  try {
    const body = JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;
    return { ...answer, body: Buffer.from(JSON.stringify({ ...body, runtime: readiness })) };
  } catch {
    return answer;
  }
};

export const send = (res: ServerResponse, answer: Answer, requestId: string): void => {
  res.writeHead(answer.statusCode, {
    ...answer.headers,
    'apigw-requestid': requestId,
    'content-length': answer.body.byteLength,
  });
  res.end(answer.body);
};

/** What API Gateway answers when the integration fails instead of answering. */
export const internalErrorAnswer = (): Answer => ({
  statusCode: 500,
  headers: { 'content-type': 'application/problem+json' },
  body: Buffer.from(
    JSON.stringify({
      type: 'https://convoy.dev/problems/internal',
      title: 'Internal error',
      status: 500,
      code: 'internal',
      detail: 'An unexpected error occurred; the request was not applied.',
    }),
  ),
});
