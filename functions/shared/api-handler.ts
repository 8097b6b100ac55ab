import middy from '@middy/core';
import type { ApiEvent, ApiResponse } from './api-types.ts';
import { ConvoyError } from '#domain/core/errors.ts';
import type { Deps } from '#app/deps.ts';
import { logger } from '#app/logger.ts';
import { problemResult, toProblem } from '#api/problems.ts';
import { bodyDecoder, notModified } from './middlewares.ts';

export type { ApiEvent, ApiResponse } from './api-types.ts';

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

/**
 * One Lambda per route group: `routes` maps API Gateway route keys ("POST /bundles") to handlers.
 * Gives the group's handler factory: made from the Lambda root's deps on AWS (functions/shared/
 * lambda-deps.ts), from the embedded runtime's by lib/local, from a test's in tests. The route was
 * resolved once, by API Gateway or the embedded server: `event.routeKey` names it.
 */
export const apiHandler =
  (routes: Record<string, RouteHandler>) =>
  (deps: Deps): middy.MiddyfiedHandler<ApiEvent, ApiResponse> =>
    middy<ApiEvent, ApiResponse>()
      .use(problemJson())
      .use(notModified())
      .use(bodyDecoder())
      .handler(async (event) => {
        const route = routes[event.routeKey];
        if (!route) throw new ConvoyError('not-found', `No route ${event.routeKey}.`);
        return shape(await route(event, deps));
      });
