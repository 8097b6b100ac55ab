import { z } from 'zod';
import { badRequest } from '#domain/core/errors.ts';
import { bundleRefSchema, idempotencyKeySchema, nameSchema } from '#domain/core/names.ts';
import { parseWith } from '#domain/core/zod-problems.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import { apiHandler, type ApiEvent } from '../shared/api-handler.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { readerOf } from '../shared/caller.ts';
import { pathOf, queryOf } from '../shared/params.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import { documentOf, headerOf, principalOf } from '../shared/request.ts';
import { reasonRequired, rolloutActions } from '#domain/rollout/operator-actions.ts';
import { actionReasonSchema, performRolloutAction } from '#app/rollouts/act-on-rollout.ts';
import { startRollout } from '#app/rollouts/start-rollout.ts';
import { rolloutEtag, rolloutListItem, rolloutView } from '#api/rollout-view.ts';

const startBodySchema = z.strictObject({
  bundle: bundleRefSchema,
  strategy: z.union([nameSchema, z.record(z.string(), z.unknown())], {
    error: 'must be the name of a catalog strategy or a strategy object',
  }),
  id: nameSchema.optional(),
});
const idPathSchema = z.strictObject({ id: nameSchema });
const actionPathSchema = z.strictObject({ id: nameSchema, action: z.enum(rolloutActions) });
const listQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).optional() });
const optionalReason = z.strictObject({ reason: actionReasonSchema.optional() });
const requiredReason = z.strictObject({ reason: actionReasonSchema });

/** An action's body: malformed, unknown fields or a missing reason are 400 naming the field. */
const actionBody = (event: ApiEvent, required: boolean): { reason?: string } => {
  if (!event.body && !required) return {};
  const result = parseWith(required ? requiredReason : optionalReason, documentOf(event));
  if (result.ok) return result.value;
  const problems = result.problems.map((p) => ({ ...p, path: p.path ? `body.${p.path}` : 'body' }));
  throw badRequest(`Invalid body: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
};

export const make = apiHandler({
  'POST /rollouts': async (event, deps) => {
    const principal = principalOf(event);
    const key = headerOf(event, 'idempotency-key');
    const idempotencyKey =
      key === undefined ? undefined : parsePart(idempotencyKeySchema, key, 'header.idempotency-key');
    const body = parsePart(startBodySchema, documentOf(event), 'body');
    const { rollout, warnings } = await startRollout(deps, { ...body, principal, idempotencyKey });
    return {
      status: 201,
      headers: { location: `/rollouts/${rollout.id}`, etag: rolloutEtag(rollout.events) },
      body: { ...rollout, warnings },
    };
  },

  'GET /rollouts': async (event, deps) => {
    await readerOf(event, deps);
    const { limit } = queryOf(event, listQuerySchema);
    const summaries = await deps.store.rollouts.list(limit ?? 50);
    const rollouts = await Promise.all(
      summaries.map(async (s) =>
        rolloutListItem(reduceRollout(await deps.store.rollouts.events(s.rolloutId))),
      ),
    );
    return { status: 200, body: { rollouts } };
  },

  'GET /rollouts/{id}': async (event, deps) => {
    await readerOf(event, deps);
    const { id } = pathOf(event, idPathSchema);
    const events = await deps.store.rollouts.events(id);
    return {
      status: 200,
      headers: { etag: rolloutEtag(events) },
      body: rolloutView(reduceRollout(events), events),
    };
  },

  'POST /rollouts/{id}/{action}': async (event, deps) => {
    const principal = principalOf(event);
    const { id, action } = pathOf(event, actionPathSchema);
    const { reason } = actionBody(event, reasonRequired.includes(action));
    const rollout = await performRolloutAction(deps, { rolloutId: id, action, principal, reason });
    return { status: 200, headers: { etag: rolloutEtag(rollout.events) }, body: rollout };
  },
});

export const handler = onLambda(make);
