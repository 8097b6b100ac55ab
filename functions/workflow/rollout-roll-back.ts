import { rollBackInputSchema, rollBackRollout } from '#app/rollouts/roll-back-rollout.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { workflowHandler } from '../shared/workflow-handler.ts';

/** Roll Back: the rollout's environments restored, newest phase first (lib/app/rollouts/roll-back-rollout.ts). */
export const make = workflowHandler(rollBackInputSchema, (payload, deps) => rollBackRollout(deps, payload));

export const handler = onLambda(make);
