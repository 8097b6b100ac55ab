import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ConvoyError } from '#domain/core/errors.ts';
import type { Deps } from '#app/deps.ts';
import { getDeps } from './deps.ts';
import { logger } from '#app/logger.ts';
import { problemResult, toProblem } from '#api/problems.ts';
import { bodyText } from './request.ts';

export type ApiEvent = APIGatewayProxyEventV2;
export type ApiResponse = APIGatewayProxyStructuredResultV2;

export interface ApiResult {
  status: number;
  /** Serialised as JSON unless `text` is given. */
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export type RouteHandler = (event: ApiEvent, deps: Deps) => Promise<ApiResult>;

const shape = (result: ApiResult): ApiResponse => {
  if (result.text !== undefined)
    return { statusCode: result.status, headers: result.headers, body: result.text };
  if (result.body === undefined) return { statusCode: result.status, headers: result.headers ?? {} };
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json', ...result.headers },
    body: JSON.stringify(result.body),
  };
};

/** Turns every error into problem+json; 5xx are logged with their cause and answered generically. */
const problemJson = (): middy.MiddlewareObj<ApiEvent, ApiResponse> => ({
  onError: (request) => {
    const problem = toProblem(request.error, request.event.rawPath);
    if (problem.status >= 500)
      logger.error('request failed', { error: request.error as Error, path: request.event.rawPath });
    request.response = problemResult(problem);
  },
});

/** Every route's body is decoded here first: oversize or non-UTF-8 bodies are refused before any I/O. */
const bodyLimit = (): middy.MiddlewareObj<ApiEvent, ApiResponse> => ({
  before: (request) => {
    bodyText(request.event);
  },
});

/**
 * One Lambda per route group: `routes` maps API Gateway route keys ("POST /bundles") to handlers.
 * The same function serves the embedded runtime, which builds identical events.
 */
export const apiHandler = (
  routes: Record<string, RouteHandler>,
): middy.MiddyfiedHandler<ApiEvent, ApiResponse> =>
  middy<ApiEvent, ApiResponse>()
    .use(problemJson())
    .use(bodyLimit())
    .handler(async (event) => {
      const route = routes[event.routeKey];
      if (!route) throw new ConvoyError('not-found', `No route ${event.routeKey}.`);
      return shape(await route(event, getDeps()));
    });
