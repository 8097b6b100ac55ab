import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { handlerEntry, type RouteGroup } from '#api/routes.ts';

export type ApiLambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
export type HandlerLoader = (group: RouteGroup) => Promise<ApiLambda>;

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Loads each route group's Lambda module once, from the same entry file CDK bundles, like a warm
 * Lambda container would.
 */
export const moduleHandlerLoader = (root = projectRoot): HandlerLoader => {
  const loaded = new Map<RouteGroup, Promise<ApiLambda>>();
  return (group) => {
    let handler = loaded.get(group);
    if (!handler) {
      handler = import(pathToFileURL(join(root, handlerEntry(group))).href).then(
        (module: { handler?: unknown }) => {
          if (typeof module.handler !== 'function')
            throw new Error(`${handlerEntry(group)} exports no handler`);
          return module.handler as ApiLambda;
        },
      );
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

type LambdaFunction = (event: unknown, context: Context) => Promise<unknown>;

/**
 * A non-API function (workflow task, scheduled job) loaded once from its handler file, like a warm
 * Lambda container, and invoked with its event and a fresh Lambda context.
 */
export const moduleFunction = (
  name: string,
  entry: string,
  root = projectRoot,
): ((event: unknown) => Promise<unknown>) => {
  let loaded: Promise<LambdaFunction> | undefined;
  return async (event) => {
    loaded ??= import(pathToFileURL(join(root, entry)).href).then((module: { handler?: unknown }) => {
      if (typeof module.handler !== 'function') throw new Error(`${entry} exports no handler`);
      return module.handler as LambdaFunction;
    });
    // A module that failed to load is tried again next time (it may have been fixed meanwhile).
    const handler = await loaded.catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return handler(event, functionContext(name, randomUUID(), FUNCTION_TIMEOUT_MS));
  };
};
