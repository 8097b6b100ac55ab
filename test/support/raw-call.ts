import type { Context } from 'aws-lambda';
import { routeKey, routes, type Route } from '#api/routes.ts';
import { toApiEvent } from '#local/api-event.ts';
import type { ApiHandlers } from './handlers.ts';

const lambdaContext = { functionName: 'convoy-test', awsRequestId: 'test' } as Context;

export interface RawRequest {
  /** A route of the table, e.g. `POST /freezes`; its `{params}` are filled from `path`. */
  route: string;
  /** Path parameters, given as API Gateway delivers them (already percent-decoded). */
  path?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Text is sent as is; bytes are sent base64-encoded with `isBase64Encoded`, as API Gateway does. */
  body?: string | Uint8Array;
  as?: string;
}

export interface RawResult {
  status: number;
  headers: Record<string, string>;
  // Tests read arbitrary response shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

const routeOf = (key: string): Route => {
  const route = routes.find((r) => routeKey(r) === key);
  if (route === undefined) throw new Error(`no route ${key}`);
  return route;
};

/**
 * Call a route's handler of `handlers` (through middy) with an API Gateway v2 event built like toApiEvent builds
 * one, then given exactly the parameters and body asked for: path parameters that no URL could carry
 * (slashes, control characters) and bodies that are not UTF-8 reach the handler as AWS would pass them.
 */
export const callRaw = async (handlers: ApiHandlers, request: RawRequest): Promise<RawResult> => {
  const route = routeOf(request.route);
  const url = route.path.replace(/\{[^}]+\}/g, 'x');
  const built = toApiEvent({ method: route.method, url, principal: request.as ?? 'olivia' });
  if (built.kind !== 'route') throw new Error(`no route for ${request.route}`);
  const { body } = request;
  const event = {
    ...built.event,
    routeKey: request.route,
    headers: request.headers ?? {},
    ...(request.path === undefined ? {} : { pathParameters: request.path }),
    ...(request.query === undefined ? {} : { queryStringParameters: request.query }),
    ...(body === undefined
      ? {}
      : typeof body === 'string'
        ? { body, isBase64Encoded: false }
        : { body: Buffer.from(body).toString('base64'), isBase64Encoded: true }),
  };
  if (request.path === undefined) delete event.pathParameters;
  const response = await handlers[route.group](event, lambdaContext);
  const headers = (response.headers ?? {}) as Record<string, string>;
  const text = response.body ?? '';
  return {
    status: response.statusCode ?? 200,
    headers,
    json: (headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : undefined,
  };
};
