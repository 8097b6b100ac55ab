import { deployPhase, deployPhaseInputSchema } from '#app/rollouts/deploy-phase.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { workflowHandler } from '../shared/workflow-handler.ts';

/** Deploy Phase: the rollout's current phase deployed, environment by environment (lib/app/rollouts/deploy-phase.ts). */
export const make = workflowHandler(deployPhaseInputSchema, (payload, deps) => deployPhase(deps, payload));

export const handler = onLambda(make);
