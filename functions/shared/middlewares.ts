import type middy from '@middy/core';
import { etagMatches, notModifiedHeaders } from '#api/conditional.ts';
import type { ApiEvent, ApiResponse } from './api-types.ts';
import { decodeBody, headerOf } from './request.ts';

/**
 * Conditional reads, for every route at once: a GET or HEAD answered 200 with an ETag that the
 * request's If-None-Match holds becomes 304 Not Modified, with no body and the same ETag.
 */
export const notModified = (): middy.MiddlewareObj<ApiEvent, ApiResponse> => ({
  after: (request) => {
    const { event, response } = request;
    const method = event.requestContext.http.method;
    const etag = response?.headers?.etag;
    if (response?.statusCode !== 200 || typeof etag !== 'string') return;
    if (method !== 'GET' && method !== 'HEAD') return;
    if (!etagMatches(headerOf(event, 'if-none-match'), etag)) return;
    const headers = notModifiedHeaders(response.headers as Record<string, string>);
    request.response = { statusCode: 304, headers };
  },
});

/**
 * Every route's body is decoded here, once: oversize or non-UTF-8 bodies are refused before any I/O,
 * and the route reads the decoded text (and the document parsed from it) kept with the event.
 */
export const bodyDecoder = (): middy.MiddlewareObj<ApiEvent, ApiResponse> => ({
  before: (request) => {
    decodeBody(request.event);
  },
});
