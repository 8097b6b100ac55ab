import { overrideRequestSchema } from '#domain/overrides/override.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { requireCatalog } from '#app/caller.ts';
import { callerOf, readerOf } from '../shared/caller.ts';
import { currentOf, decideOverride, requireOverride } from '#app/overrides/decide-override.ts';
import { listOverrides } from '#app/overrides/list-overrides.ts';
import { requestOverride } from '#app/overrides/request-override.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { idPathSchema } from '#api/params.ts';
import {
  approveOverrideBodySchema,
  overrideListQuerySchema,
  rejectOverrideBodySchema,
} from '#api/overrides.ts';
import { pathOf, queryOf } from '../shared/params.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import { documentOf } from '../shared/request.ts';

export const make = apiHandler({
  'POST /overrides': async (event, deps) => {
    const caller = await callerOf(event, deps);
    const stored = requireCatalog(caller);
    const request = parsePart(overrideRequestSchema, documentOf(event), 'body');
    return { status: 201, body: await requestOverride(deps, { ...caller, stored }, request) };
  },

  'GET /overrides': async (event, deps) => {
    const { at } = await readerOf(event, deps);
    const overrides = await listOverrides(deps, queryOf(event, overrideListQuerySchema), at);
    return { status: 200, body: { overrides } };
  },

  'GET /overrides/{id}': async (event, deps) => {
    const { at } = await readerOf(event, deps);
    const { id } = pathOf(event, idPathSchema);
    return { status: 200, body: currentOf(await requireOverride(deps, id), at) };
  },

  'POST /overrides/{id}/approve': async (event, deps) => {
    const caller = await callerOf(event, deps);
    const stored = requireCatalog(caller);
    const { id } = pathOf(event, idPathSchema);
    const body = event.body ? parsePart(approveOverrideBodySchema, documentOf(event), 'body') : {};
    const decided = await decideOverride(deps, { ...caller, stored }, id, { verdict: 'approve', ...body });
    return { status: 200, body: decided };
  },

  'POST /overrides/{id}/reject': async (event, deps) => {
    const caller = await callerOf(event, deps);
    const stored = requireCatalog(caller);
    const { id } = pathOf(event, idPathSchema);
    const { reason } = parsePart(rejectOverrideBodySchema, documentOf(event), 'body');
    const verdict = { verdict: 'reject' as const, comment: reason };
    return { status: 200, body: await decideOverride(deps, { ...caller, stored }, id, verdict) };
  },
});

export const handler = onLambda(make);
