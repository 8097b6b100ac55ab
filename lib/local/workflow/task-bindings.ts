import { errorNamed, type StateJson } from './execution.ts';

/** A Lambda function as the runner invokes it: the payload in, the function's result out. */
export type LocalFunction = (payload: unknown) => Promise<unknown>;
/** A service integration (`arn:aws:states:::events:putEvents`, …): the task's Parameters in, its result out. */
export type LocalIntegration = (parameters: unknown) => Promise<unknown>;

/** What runs a Task state: its Parameters in, its result out. */
export type TaskBinding = (parameters: unknown) => Promise<unknown>;

const WAIT_FOR_TOKEN = '.waitForTaskToken';
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

/** Whether a Task waits for `sendTaskSuccess`/`sendTaskFailure` after its invocation returns. */
export const waitsForTaskToken = (state: StateJson): boolean =>
  (state.Resource ?? '').endsWith(WAIT_FOR_TOKEN);

/** A JSON round trip (undefined becomes null), as a value crossing into or out of Lambda. */
export const jsonCopy = (value: unknown): unknown =>
  value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);

/** The name of a Lambda function from its name, ARN or qualified ARN. */
const functionNameOf = (nameOrArn: string): string => {
  const match = /:function:([^:]+)/.exec(nameOrArn);
  return match?.[1] ?? nameOrArn;
};

/**
 * Which local code runs a Task resource: `lambda:invoke` (and plain function ARNs) run local
 * functions, other integrations (`events:putEvents`, …) their local bindings. Function errors surface
 * as Step Functions reports them: the error name is the function's error type, the cause its JSON
 * `{ errorType, errorMessage }`.
 */
export const createTaskBindings = (
  functions: Record<string, LocalFunction>,
  integrations?: Record<string, LocalIntegration>,
): ((where: string, resource: string) => TaskBinding) => {
  const invokeFunction = async (nameOrArn: string, payload: unknown): Promise<unknown> => {
    const fn = functions[functionNameOf(nameOrArn)];
    if (fn === undefined) {
      throw errorNamed('Lambda.ResourceNotFoundException', `Function not found: ${nameOrArn}`);
    }
    try {
      // Payloads cross a process boundary in Lambda: the function gets its own copy, as JSON.
      return jsonCopy(await fn(jsonCopy(payload)));
    } catch (error) {
      const errorType = error instanceof Error ? error.name : 'Error';
      const errorMessage = error instanceof Error ? error.message : String(error);
      throw errorNamed(errorType, JSON.stringify({ errorType, errorMessage }));
    }
  };

  /** The binding of `resource` (state `where`); throws when nothing local runs it. */
  return (where, resource) => {
    const base = resource.endsWith(WAIT_FOR_TOKEN) ? resource.slice(0, -WAIT_FOR_TOKEN.length) : resource;
    if (base === LAMBDA_INVOKE) {
      return async (parameters) => {
        const { FunctionName, Payload } = (parameters ?? {}) as { FunctionName?: string; Payload?: unknown };
        const result = await invokeFunction(String(FunctionName), Payload ?? {});
        return { ExecutedVersion: '$LATEST', Payload: result ?? null, StatusCode: 200 };
      };
    }
    if (base.startsWith('arn:aws:lambda:')) return (parameters) => invokeFunction(base, parameters);
    const integration = integrations?.[base];
    if (integration === undefined) throw new Error(`No local binding for ${resource} (state ${where})`);
    return integration;
  };
};
