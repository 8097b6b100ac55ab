import { deploymentId, parseDeploymentId } from '../environments/head.ts';
import type { RolloutState } from './state.ts';

/** The reason, with a failed function's own message when the cause carries one. */
export const rollbackReason = ({ value, cause }: { value: string; cause?: string | undefined }): string => {
  if (cause === undefined) return value;
  let message: unknown = cause;
  try {
    message = (JSON.parse(cause) as { errorMessage?: unknown }).errorMessage ?? cause;
  } catch {
    // Not a function's JSON cause (a service error's text): keep it as it is.
  }
  return `${value}: ${String(message)}`.slice(0, 2000);
};

/**
 * The deployment whose snapshot the environment had before this rollout first deployed to it: the
 * record just before the rollout's first deployment there (none: the initial, empty state).
 */
export const restoreTarget = (state: RolloutState, environment: string): string | undefined => {
  const first = state.phases.flatMap((p) => p.deployments).find((d) => d.environment === environment);
  const version = first ? parseDeploymentId(first.deploymentId)?.headVersion : undefined;
  return version !== undefined && version > 1 ? deploymentId(environment, version - 1) : undefined;
};
