import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { matchRoute, routeKey, type Route } from '#api/routes.ts';

export interface LocalRequest {
  method: string;
  /** Path with an optional query string, e.g. /environments/dev/config?format=yaml */
  url: string;
  headers?: Record<string, string | undefined>;
  body?: string;
  /** The body is base64 of bytes that are not UTF-8 text (API Gateway's `isBase64Encoded`). */
  isBase64Encoded?: boolean;
  /** The authenticated principal, as API Gateway's IAM authorizer would report it. */
  principal?: string;
  sourceIp?: string;
}

export type RouteMatch =
  | { kind: 'route'; route: Route; event: APIGatewayProxyEventV2 }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

/** A route of the table with the path parameters a request gave it: resolved once per request. */
export interface MatchedRoute {
  route: Route;
  pathParameters: Record<string, string>;
}

/**
 * Build the API Gateway HTTP API (payload v2) event that AWS would deliver for this request, so the
 * embedded runtime and the tests call handlers exactly as Lambda does. Throws URIError on malformed
 * percent-encoding.
 */
export const toApiEvent = (request: LocalRequest, now = new Date()): RouteMatch => {
  const url = new URL(request.url, 'http://localhost');
  const match = matchRoute(request.method.toUpperCase(), url.pathname);
  if (!match) return { kind: 'not-found' };
  if ('allowed' in match) return { kind: 'method-not-allowed', allowed: match.allowed };
  return { kind: 'route', route: match.route, event: apiEventOf(request, match, now) };
};

/**
 * The event of a request whose route is already resolved (the embedded server matched it before
 * reading the body): API Gateway's routeKey and pathParameters come from that one match.
 */
export const apiEventOf = (
  request: LocalRequest,
  match: MatchedRoute,
  now = new Date(),
): APIGatewayProxyEventV2 => {
  const url = new URL(request.url, 'http://localhost');
  const method = request.method.toUpperCase();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const key = routeKey(match.route);
  const principal = request.principal;
  return {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(match.pathParameters).length > 0 ? { pathParameters: match.pathParameters } : {}),
    ...(request.body === undefined || request.body === '' ? {} : { body: request.body }),
    isBase64Encoded: request.isBase64Encoded === true,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: key,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(principal === undefined
        ? {}
        : {
            authorizer: {
              iam: {
                accessKey: 'local',
                accountId: '000000000000',
                callerId: principal,
                principalOrgId: null,
                userArn: principal,
                userId: principal,
                cognitoIdentity: null,
              },
            },
          }),
    },
  };
};
