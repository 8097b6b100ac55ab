import { deploymentId } from './head.ts';
import type { DeploymentRecord, Head } from './head.ts';

/** What every HEAD flip's record is made of: where HEAD was, where it goes, who and when. */
export interface FlipInput {
  environment: string;
  head: Head;
  /** Content hash of the snapshot the flip makes live. */
  snapshot: string;
  principal: string;
  at: string;
  idempotencyKey?: string;
}

/**
 * The fields every deployment record shares (bundle deploys, rollbacks, release deploys): the next
 * HEAD version and its id, the snapshots before and after, the request's identity; sinks start empty.
 */
export const flipRecord = (
  input: FlipInput,
): Omit<DeploymentRecord, 'kind' | 'bundle' | 'rolledBackTo' | 'undoes'> => {
  const headVersion = input.head.version + 1;
  return {
    id: deploymentId(input.environment, headVersion),
    environment: input.environment,
    headVersion,
    previousSnapshot: input.head.snapshot,
    snapshot: input.snapshot,
    principal: input.principal,
    at: input.at,
    ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
    sinks: {},
  };
};
