import { reduceRollout } from '#domain/rollout/reduce.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { readerOf } from '../shared/caller.ts';
import { idempotencyKeyOf, pathOf, queryOf } from '../shared/params.ts';
import { documentOf, principalOf } from '../shared/request.ts';
import { reasonRequired } from '#domain/rollout/operator-actions.ts';
import { performRolloutAction } from '#app/rollouts/act-on-rollout.ts';
import { listRollouts } from '#app/rollouts/list-rollouts.ts';
import { startRollout } from '#app/rollouts/start-rollout.ts';
import { idPathSchema } from '#api/params.ts';
import { rolloutEtag, rolloutListItem, rolloutView } from '#api/rollout-view.ts';
import {
  rolloutActionBody,
  rolloutActionPathSchema,
  rolloutListQuerySchema,
  startRolloutBodyOf,
} from '#api/rollouts.ts';

export const make = apiHandler({
  'POST /rollouts': async (event, deps) => {
    const from = { principal: principalOf(event), idempotencyKey: idempotencyKeyOf(event) };
    const body = startRolloutBodyOf(documentOf(event));
    const { rollout, warnings } = await startRollout(deps, { ...body, ...from });
    return {
      status: 201,
      headers: { location: `/rollouts/${rollout.id}`, etag: rolloutEtag(rollout.events) },
      body: { ...rollout, warnings },
    };
  },

  'GET /rollouts': async (event, deps) => {
    await readerOf(event, deps);
    const { limit } = queryOf(event, rolloutListQuerySchema);
    return { status: 200, body: { rollouts: (await listRollouts(deps, limit ?? 50)).map(rolloutListItem) } };
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
    const { id, action } = pathOf(event, rolloutActionPathSchema);
    const required = reasonRequired.includes(action);
    const { reason } = !event.body && !required ? {} : rolloutActionBody(documentOf(event), required);
    const rollout = await performRolloutAction(deps, { rolloutId: id, action, principal, reason });
    return { status: 200, headers: { etag: rolloutEtag(rollout.events) }, body: rollout };
  },
});

export const handler = onLambda(make);
