import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { Deps } from '#app/deps.ts';
import { handlerEntry, type RouteGroup } from '#api/routes.ts';

export type ApiLambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
export type HandlerLoader = (group: RouteGroup) => Promise<ApiLambda>;

/**
 * The deps a loaded handler is made from, read on its first invocation (its cold start): the embedded
 * runtime's workflow engine invokes handlers that need that engine, so they are bound late.
 */
export type DepsSource = () => Deps;

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

type Made<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * A handler file's factory (`make`), applied to `deps()` on the first invocation: the module loads
 * at once (a warm container), the handler is made when there is something to handle.
 */
const importHandler = async <E, R>(root: string, entry: string, deps: DepsSource): Promise<Made<E, R>> => {
  const module = (await import(pathToFileURL(join(root, entry)).href)) as { make?: unknown };
  if (typeof module.make !== 'function') throw new Error(`${entry} exports no handler factory (make)`);
  const make = module.make as (deps: Deps) => Made<E, R>;
  let made: Made<E, R> | undefined;
  return (event, context) => {
    made ??= make(deps());
    return made(event, context);
  };
};

/**
 * Loads each route group's Lambda module once, from the same entry file CDK bundles, like a warm
 * Lambda container would, and makes its handler from the embedded runtime's deps.
 */
export const moduleHandlerLoader = (deps: DepsSource, root = projectRoot): HandlerLoader => {
  const loaded = new Map<RouteGroup, Promise<ApiLambda>>();
  return (group) => {
    let handler = loaded.get(group);
    if (!handler) {
      handler = importHandler(root, handlerEntry(group), deps);
      loaded.set(group, handler);
    }
    return handler;
  };
};

/** The Lambda context a function receives, with a deadline `timeoutMs` from now. */
export const functionContext = (functionName: string, requestId: string, timeoutMs: number): Context => {
  const deadline = Date.now() + timeoutMs;
  const context: Omit<Context, 'done' | 'fail' | 'succeed'> = {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  // done/fail/succeed are the deprecated callback API; promise handlers never call them.
  return context as Context;
};

/** The Lambda context a handler receives, with the API Gateway integration's 29 s budget. */
export const lambdaContext = (group: RouteGroup, requestId: string, timeoutMs = 29_000): Context =>
  functionContext(`convoy-${group}`, requestId, timeoutMs);

/** Workflow tasks and scheduled jobs may run up to Lambda's own limit. */
const FUNCTION_TIMEOUT_MS = 15 * 60_000;

/**
 * A non-API function (workflow task, scheduled job) loaded once from its handler file, like a warm
 * Lambda container, made from `deps`, and invoked with its event and a fresh Lambda context.
 */
export const moduleFunction = (
  name: string,
  entry: string,
  deps: DepsSource,
  root = projectRoot,
): ((event: unknown) => Promise<unknown>) => {
  let loaded: Promise<Made<unknown, unknown>> | undefined;
  return async (event) => {
    loaded ??= importHandler(root, entry, deps);
    // A module that failed to load is tried again next time (it may have been fixed meanwhile).
    const handler = await loaded.catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return handler(event, functionContext(name, randomUUID(), FUNCTION_TIMEOUT_MS));
  };
};
