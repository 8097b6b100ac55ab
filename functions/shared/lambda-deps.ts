import type { Context } from 'aws-lambda';
import type { Deps } from '#app/deps.ts';
import { EvaluationTally } from '#domain/flags/evaluation-tally.ts';
import { createDocumentClient } from '#store/client.ts';
import { createConvoyStore } from '#store/convoy-store.ts';
import { DEFAULT_TABLE_NAME } from '#store/table.ts';
import { awsCheckpointsFromEnv } from '#integrations/aws-checkpoints.ts';
import { awsIntegrationsFromEnv } from '#integrations/aws-integrations.ts';
import { unconfiguredIntegrations } from '#integrations/unconfigured.ts';

/** What a handler module exports besides its Lambda `handler`: the handler, made from its deps. */
export type HandlerFactory<E, R> = (deps: Deps) => (event: E, context: Context) => Promise<R>;

type Environment = Record<string, string | undefined>;

/**
 * The Lambda composition root: the store on the table CDK named (CONVOY_TABLE_NAME), the AWS adapters
 * CDK configured (CONVOY_EVENT_BUS_NAME, ...) and fail-loud stand-ins for the rest.
 */
export const depsFromEnvironment = (env: Environment): Deps => {
  const endpoint = env.CONVOY_DYNAMODB_ENDPOINT;
  const doc = createDocumentClient(endpoint ? { endpoint } : {});
  const checkpoints = awsCheckpointsFromEnv(env);
  return {
    store: createConvoyStore({ doc, tableName: env.CONVOY_TABLE_NAME ?? DEFAULT_TABLE_NAME }),
    now: () => new Date(),
    ...unconfiguredIntegrations(),
    ...awsIntegrationsFromEnv(env),
    ...(checkpoints === undefined ? {} : { checkpoints }),
    // OFREP counts wait per container and are written when due; a container reclaimed in between
    // loses at most the last few seconds of counts (telemetry, not facts).
    evaluationTally: new EvaluationTally(),
  };
};

let coldStart: Deps | undefined;

/** Built once per container, on the first invocation: importing a handler module builds nothing. */
const lambdaDeps = (): Deps => {
  coldStart ??= depsFromEnvironment(process.env);
  return coldStart;
};

/** A handler module's Lambda export: its factory applied to the Lambda root on the first invocation. */
export const onLambda = <E, R>(make: HandlerFactory<E, R>): ((event: E, context: Context) => Promise<R>) => {
  let made: ((event: E, context: Context) => Promise<R>) | undefined;
  return (event, context) => {
    made ??= make(lambdaDeps());
    return made(event, context);
  };
};
