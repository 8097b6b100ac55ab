import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PRINCIPAL_HEADER } from '#api/client.ts';
import { matchRoute, type RouteGroup } from '#api/routes.ts';
import { apiEventOf } from './api-event.ts';
import {
  internalErrorAnswer,
  send,
  toAnswer,
  withReadiness,
  type Answer,
  type Readiness,
} from './api-answer.ts';
import { writeProblem } from './http-problem.ts';
import { lambdaContext, moduleHandlerLoader, type DepsSource, type HandlerLoader } from './lambda-runtime.ts';
import { isDashboardRequest, serveDashboard } from './dashboard-assets.ts';
import { LOCAL_PREFIX, serveLocalAlarms } from './local-alarm-routes.ts';
import type { LocalAlarms } from './local-alarms.ts';
import { MAX_REQUEST_BYTES, readBody } from './read-body.ts';

export type { Readiness } from './api-answer.ts';

/** The route groups' handlers: given, or loaded from their files and made from `deps`. */
export type ApiServerHandlers = { loadHandler: HandlerLoader } | { deps: DepsSource };

export type ApiServerOptions = ApiServerHandlers & {
  port: number;
  host?: string;
  /** Reported by GET /health; until ready, /health answers 503 without calling the handler. */
  readiness?: () => Readiness;
  /** Errors a handler threw instead of answering (middy answers the rest itself). */
  onError?: (error: unknown, route: string) => void;
  /** The alarm source of the local workflows: served under /local/ (`convoy alarm`); none → 404. */
  alarms?: LocalAlarms;
  /** Serve the web dashboard at `/` (assets under /ui/); on unless false. */
  dashboard?: boolean;
};

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const wellFormed = (text: string): boolean => {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
};

const headerValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(',') : value;

const requestHeaders = (req: IncomingMessage): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    const text = headerValue(value);
    if (text !== undefined) headers[name.toLowerCase()] = text;
  }
  return headers;
};

/**
 * The embedded API Gateway: each request becomes an HTTP API payload v2 event for the same middy
 * handler a Lambda runs; the answer is written back as API Gateway would.
 */
export const startApiServer = async (options: ApiServerOptions): Promise<ApiServer> => {
  const loadHandler = 'loadHandler' in options ? options.loadHandler : moduleHandlerLoader(options.deps);
  const readiness = options.readiness ?? ((): Readiness => ({ ready: true }));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
    const rawQuery = queryAt === -1 ? '' : url.slice(queryAt + 1);
    if (!rawPath.startsWith('/') || rawPath.startsWith('//')) {
      writeProblem(res, 'not-found', `No route for ${method} ${rawPath}.`);
      return;
    }
    if (!wellFormed(rawPath) || !wellFormed(rawQuery)) {
      writeProblem(res, 'bad-request', 'The URL contains malformed percent-encoding.', {
        instance: rawPath,
      });
      return;
    }
    if (options.alarms && rawPath.startsWith(LOCAL_PREFIX)) {
      await serveLocalAlarms(options.alarms, req, res, method, rawPath);
      return;
    }
    // The dashboard: GET / and /ui/* only, paths no API route takes (dashboardPathsFree).
    if (options.dashboard !== false && isDashboardRequest(method, rawPath)) {
      await serveDashboard(res, method, rawPath);
      return;
    }
    // Matched once, on the path as the event carries it (dot segments resolved, as URL parsing does).
    const match = matchRoute(method, new URL(rawPath, 'http://localhost').pathname);
    if (!match) {
      writeProblem(res, 'not-found', `No route for ${method} ${rawPath}.`, { instance: rawPath });
      return;
    }
    if ('allowed' in match) {
      writeProblem(
        res,
        'method-not-allowed',
        `${rawPath} supports ${match.allowed.join(', ')}, not ${method}.`,
        {
          instance: rawPath,
          headers: { allow: match.allowed.join(', ') },
        },
      );
      return;
    }
    const group: RouteGroup = match.route.group;
    const headers = requestHeaders(req);
    const principal = headers[PRINCIPAL_HEADER]?.trim();
    if (group !== 'health' && !principal) {
      writeProblem(
        res,
        'unauthenticated',
        `No principal: send the ${PRINCIPAL_HEADER} header (the CLI sends --as).`,
        {
          instance: rawPath,
          headers: { 'www-authenticate': PRINCIPAL_HEADER },
        },
      );
      return;
    }
    const state = readiness();
    if (group !== 'health' && state.accepting === false) {
      const why = state.degraded === true ? 'degraded' : 'starting';
      writeProblem(res, 'unavailable', `Convoy is ${why} (${String(state.phase)}); retry in a moment.`, {
        instance: rawPath,
        headers: { 'retry-after': '1' },
      });
      return;
    }
    const body = await readBody(req);
    if (!body.ok) {
      // A declared oversize body is never read: the connection closes after the answer. A streamed one
      // is drained (not kept) so the client can read its 413.
      const size = body.declared ? `${body.bytes} bytes` : `over ${MAX_REQUEST_BYTES} bytes`;
      writeProblem(
        res,
        'payload-too-large',
        `The body is ${size}; the limit is ${MAX_REQUEST_BYTES} (6 MB).`,
        {
          instance: rawPath,
          headers: body.declared ? { connection: 'close' } : {},
        },
      );
      return;
    }
    if (group === 'health' && !state.ready) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      // Degraded: it was serving and lost its storage engine, which is being restarted.
      res.end(JSON.stringify({ status: state.degraded === true ? 'degraded' : 'starting', runtime: state }));
      return;
    }
    // The route matched above is the event's: the handler dispatches on its routeKey, as on AWS.
    const event = apiEventOf(
      {
        method,
        url,
        headers,
        body: body.text,
        ...(body.base64 ? { isBase64Encoded: true } : {}),
        ...(principal ? { principal } : {}),
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      },
      match,
    );
    const requestId = event.requestContext.requestId;
    let answer: Answer;
    try {
      const handler = await loadHandler(group);
      answer = toAnswer(await handler(event, lambdaContext(group, requestId)));
    } catch (error) {
      options.onError?.(error, event.routeKey);
      answer = internalErrorAnswer();
    }
    send(res, group === 'health' ? withReadiness(answer, state) : answer, requestId);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onError?.(error, `${req.method ?? ''} ${req.url ?? ''}`);
      writeProblem(res, 'internal', 'An unexpected error occurred; the request was not applied.');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
};
