import { z } from 'zod';
import { onLambda } from '../shared/lambda-deps.ts';
import { expiryReasons } from '#domain/overrides/override-expiry.ts';
import { awaitDecision, expire } from '#app/overrides/approval-workflow.ts';
import { workflowHandler } from '../shared/workflow-handler.ts';

const payloadSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('await'),
    overrideId: z.string().min(1),
    taskToken: z.string().min(1),
  }),
  z.strictObject({
    action: z.literal('expire'),
    overrideId: z.string().min(1),
    reason: z.enum(expiryReasons),
  }),
]);

/** The override-approval workflow's task: `await` a decision (store the token) or `expire` the override. */
export const make = workflowHandler(payloadSchema, (payload, deps) =>
  payload.action === 'await'
    ? awaitDecision(deps, payload.overrideId, payload.taskToken)
    : expire(deps, payload.overrideId, payload.reason),
);

export const handler = onLambda(make);
