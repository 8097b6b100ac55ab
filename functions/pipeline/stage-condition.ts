import middy from '@middy/core';
import { z } from 'zod';
import { nameSchema } from '#domain/core/names.ts';
import { parseWith } from '#domain/core/zod-problems.ts';
import type { ChangeKind, FreezeLevel } from '#domain/freeze/change-kind.ts';
import { stricter } from '#domain/freeze/change-kind.ts';
import { compileWindows } from '#domain/freeze/freeze-status.ts';
import type { Deps } from '#app/deps.ts';
import { logger } from '#app/logger.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { jobEventSchema, putJobFailure, putJobSuccess } from './codepipeline-job.ts';

/** The kinds of change a pipeline stage makes: a progressive rollout's phases, or a plain deploy. */
const GATED_KINDS: readonly ChangeKind[] = ['rollout-phase', 'deploy'];

const targetSchema = z.union(
  [
    z.strictObject({ environments: z.array(nameSchema).min(1).max(50) }),
    z.strictObject({ environment: nameSchema }),
  ],
  { error: 'must be {"environments": ["prod-eu", ...]} or {"environment": "prod-eu"}' },
);

export interface EnvironmentGate {
  environment: string;
  frozen: boolean;
  level: FreezeLevel | null;
  /** Names of the windows that freeze it. */
  windows: string[];
}

export interface StageConditionResult {
  /** `invalid`: the input or an environment is wrong (answered to a job; thrown otherwise). */
  status: 'open' | 'frozen' | 'invalid';
  message: string;
  environments: EnvironmentGate[];
}

/** Thrown for the rule to fail: a LambdaInvoke rule fails when its function returns an error. */
export class StageConditionError extends Error {
  override name = 'Convoy.StageCondition';
}

/** `{ environments }` / `{ environment }` as JSON, or a comma-separated list of environment names. */
const fromUserParameters = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return { environments: text.split(',').map((name) => name.trim()) };
  }
};

/** The environments to check, from a direct payload, a rule's `UserParameters` or a job's configuration. */
const targetOf = (event: unknown): string[] => {
  const record = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const configuration = record.configuration as Record<string, unknown> | undefined;
  const job = jobEventSchema.safeParse(event);
  const userParameters = job.success
    ? job.data['CodePipeline.job'].data?.actionConfiguration?.configuration?.UserParameters
    : (record.UserParameters ?? configuration?.UserParameters);
  const input = typeof userParameters === 'string' ? fromUserParameters(userParameters) : event;
  const parsed = parseWith(targetSchema, input);
  if (!parsed.ok) {
    throw new StageConditionError(
      `Invalid stage condition input: ${parsed.problems.map((p) => `${p.path || 'input'} ${p.message}`).join('; ')}.`,
    );
  }
  return 'environments' in parsed.value ? parsed.value.environments : [parsed.value.environment];
};

/** Each environment's freeze for the kinds a stage deploys; unknown environments fail closed. */
export const evaluateStage = async (
  deps: Deps,
  environments: readonly string[],
): Promise<StageConditionResult> => {
  const stored = await deps.store.catalogs.getCatalog();
  const known = new Set(stored?.catalog.environments.map((env) => env.name) ?? []);
  const unknown = environments.filter((env) => !known.has(env));
  if (unknown.length > 0) throw new StageConditionError(`Unknown environment(s): ${unknown.join(', ')}.`);
  const compiled = compileWindows(await deps.store.freezes.listWindows());
  const at = deps.now().toISOString();
  const gates = environments.map((environment): EnvironmentGate => {
    const statuses = GATED_KINDS.map((kind) => compiled.status({ environment, kind }, at));
    const windows = [...new Set(statuses.flatMap((s) => s.windows.map((w) => w.name)))];
    const level = statuses.map((s) => s.level).reduce<FreezeLevel | null>(stricter, null);
    return { environment, frozen: statuses.some((s) => s.frozen), level, windows };
  });
  const frozen = gates.filter((gate) => gate.frozen);
  const message =
    frozen.length === 0
      ? `No freeze applies to ${environments.join(', ')}.`
      : `Frozen: ${frozen.map((g) => `${g.environment} (${g.level}) by ${g.windows.join(', ')}`).join('; ')}.`;
  return { status: frozen.length === 0 ? 'open' : 'frozen', message, environments: gates };
};

/**
 * A CodePipeline stage condition (LambdaInvoke rule, e.g. on a stage's entry with result FAIL): fails
 * while any of the environments is frozen for a rollout phase or a deploy, naming the windows.
 *
 * Input: `{ environments: [...] }` or `{ environment }` directly, or the rule's `UserParameters` (that
 * JSON, or a comma-separated list of names) as `UserParameters`, `configuration.UserParameters` or a
 * `CodePipeline.job` event. Answer: a job event is answered with PutJobSuccessResult /
 * PutJobFailureResult; any other invocation returns the result when open and fails with an error when
 * frozen or invalid (the rule fails when its function errors).
 */
export const make = (deps: Deps) =>
  middy<unknown, StageConditionResult>().handler(async (event) => {
    const job = jobEventSchema.safeParse(event);
    const jobId = job.success ? job.data['CodePipeline.job'].id : undefined;
    let result: StageConditionResult;
    try {
      result = await evaluateStage(deps, targetOf(event));
    } catch (error) {
      if (jobId === undefined || !(error instanceof StageConditionError)) throw error;
      await putJobFailure(jobId, 'ConfigurationError', error.message);
      return { status: 'invalid', message: error.message, environments: [] };
    }
    logger.info('stage condition', { status: result.status, environments: result.environments });
    if (jobId !== undefined) {
      if (result.status === 'open') await putJobSuccess(jobId, { summary: result.message });
      else await putJobFailure(jobId, 'JobFailed', result.message);
      return result;
    }
    if (result.status === 'frozen') throw new StageConditionError(result.message);
    return result;
  });

export const handler = onLambda(make);
