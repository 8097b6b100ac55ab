import { z } from 'zod';
import { isConvoyError } from '../core/errors.ts';
import { bundleRefSchema, nameSchema, releaseSchema, type BundleRef } from '../core/names.ts';
import { parseWith } from '../core/zod-problems.ts';
import { isTerminal, type RolloutState } from '../rollout/state.ts';

/**
 * The CodePipeline rollout action's outcome mapping: what each invocation answers the job with. The
 * handler only sends the answer (PutJobSuccessResult / PutJobFailureResult).
 */
export type ActionOutcome = 'started' | 'in-progress' | 'succeeded' | 'failed' | 'configuration-error';

export interface JobSuccess {
  summary: string;
  externalExecutionId?: string;
  /** CodePipeline invokes the action again with it; leave out once the work is done. */
  continuationToken?: string;
  /** Only without a continuation token. */
  outputVariables?: Record<string, string>;
}

export interface JobFailure {
  type: 'JobFailed' | 'ConfigurationError';
  message: string;
  externalExecutionId?: string;
}

export type JobAnswer =
  { outcome: ActionOutcome; success: JobSuccess } | { outcome: ActionOutcome; failure: JobFailure };

const failed = (message: string, externalExecutionId?: string): JobAnswer => ({
  outcome: 'failed',
  failure: {
    type: 'JobFailed',
    message,
    ...(externalExecutionId === undefined ? {} : { externalExecutionId }),
  },
});

const EXAMPLE =
  '{"bundle": "name@version", "strategy": "<catalog strategy>"} or {"release": "<release>", "strategy": "<catalog strategy>"}';

/** The unit is a bundle or a release: exactly one of them, named as the field that is wrong. */
const userParametersSchema = z
  .strictObject({
    bundle: bundleRefSchema.optional(),
    release: releaseSchema.optional(),
    strategy: nameSchema,
  })
  .superRefine((value, ctx) => {
    if (value.bundle !== undefined && value.release !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['release'],
        message: 'give either bundle or release, not both',
      });
    if (value.bundle === undefined && value.release === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['bundle'],
        message: 'is required (a "name@version"), or give release instead',
      });
  });

/** What the action rolls out: one bundle, or a whole release (each phase deploys all of it). */
export type UserParameters = { strategy: string } & ({ bundle: BundleRef } | { release: string });

/**
 * UserParameters `{ bundle: "name@version", strategy }` or `{ release, strategy }`, or the configuration
 * error naming the field and why.
 */
export const userParameters = (text: string | undefined): UserParameters | JobAnswer => {
  const configurationError = (message: string): JobAnswer => ({
    outcome: 'configuration-error',
    failure: { type: 'ConfigurationError', message },
  });
  let document: unknown;
  try {
    document = JSON.parse(text ?? '');
  } catch {
    return configurationError(`UserParameters must be JSON like ${EXAMPLE}.`);
  }
  const parsed = parseWith(userParametersSchema, document);
  if (parsed.ok) {
    const { bundle, release, strategy } = parsed.value;
    return bundle === undefined ? { release: release as string, strategy } : { bundle, strategy };
  }
  const problems = parsed.problems.map(
    (p) => `${p.path ? `UserParameters.${p.path}` : 'UserParameters'} ${p.message}`,
  );
  return configurationError(`Invalid UserParameters: ${problems.join('; ')}.`);
};

/** The rollout started: follow it through the continuation token. */
export const started = (rollout: {
  id: string;
  bundle: string | null;
  release?: string;
  strategy: string | null;
}): JobAnswer => ({
  outcome: 'started',
  success: {
    summary: `Rollout ${rollout.id} of ${rollout.release === undefined ? rollout.bundle : `release ${rollout.release}`} with strategy ${rollout.strategy} started.`,
    externalExecutionId: rollout.id,
    continuationToken: rollout.id,
  },
});

/**
 * A refusal worth reporting to the pipeline as is (a 4xx: not found, invalid, frozen, forbidden), with
 * its problems; anything else (unavailable, internal) is left to throw, so Lambda retries the invocation.
 */
export const refusalMessage = (error: unknown): string | undefined => {
  if (!isConvoyError(error) || ['unavailable', 'internal'].includes(error.code)) return undefined;
  const problems = error.problems.map((p) => `${p.path ?? p.key ?? ''}: ${p.message}`.replace(/^: /, ''));
  return problems.length === 0 ? error.message : `${error.message} ${problems.join('; ')}`;
};

/** A refusal (not found, invalid, frozen, forbidden) fails the job with its reason. */
export const refused = (message: string, rolloutId?: string): JobAnswer => failed(message, rolloutId);

/** The continuation token is not a rollout id. */
export const notARollout = (): JobAnswer => failed('The continuation token is not a rollout id.');

/**
 * A later invocation: in progress while the rollout has not ended; succeeded with output variables
 * `rolloutId` and `outcome`; rolled back, aborted or failed → failure naming the reason.
 */
export const followed = (rolloutId: string, state: RolloutState): JobAnswer => {
  const where = state.currentPhase === null ? '' : `, phase ${state.currentPhase}`;
  if (!isTerminal(state.status))
    return {
      outcome: 'in-progress',
      success: {
        summary: `Rollout ${rolloutId} is ${state.status}${where}.`,
        externalExecutionId: rolloutId,
        continuationToken: rolloutId,
      },
    };
  if (state.status === 'succeeded')
    return {
      outcome: 'succeeded',
      success: {
        summary: `Rollout ${rolloutId} succeeded.`,
        externalExecutionId: rolloutId,
        outputVariables: { rolloutId, outcome: 'succeeded' },
      },
    };
  const ended = [`Rollout ${rolloutId} ended ${state.status}${where}`, state.reason].filter(Boolean);
  return failed(`${ended.join(': ')}.`, rolloutId);
};
