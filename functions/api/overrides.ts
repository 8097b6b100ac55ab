import { z } from 'zod';
import { nameSchema } from '#domain/core/names.ts';
import { overrideRequestSchema, overrideStatusSchema } from '#domain/overrides/override.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { requireCatalog } from '#app/caller.ts';
import { callerOf, readerOf } from '../shared/caller.ts';
import { currentOf, decideOverride, requireOverride } from '#app/overrides/decide-override.ts';
import { requestOverride } from '#app/overrides/request-override.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { pathOf, queryOf } from '../shared/params.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import { documentOf } from '../shared/request.ts';

const idPathSchema = z.strictObject({ id: nameSchema });
const listQuerySchema = z.strictObject({
  status: overrideStatusSchema.optional(),
  environment: nameSchema.optional(),
});
const approveBodySchema = z.strictObject({ comment: z.string().trim().min(1).max(2000).optional() });
const rejectBodySchema = z.strictObject({
  reason: z.string().trim().min(1, 'say why the request is rejected').max(2000),
});

export const make = apiHandler({
  'POST /overrides': async (event, deps) => {
    const caller = await callerOf(event, deps);
    const stored = requireCatalog(caller);
    const request = parsePart(overrideRequestSchema, documentOf(event), 'body');
    return { status: 201, body: await requestOverride(deps, { ...caller, stored }, request) };
  },

  'GET /overrides': async (event, deps) => {
    const { at } = await readerOf(event, deps);
    const { status, environment } = queryOf(event, listQuerySchema);
    const overrides = (await deps.store.overrides.list(environment === undefined ? {} : { environment }))
      .map((stored) => currentOf(stored, at))
      .filter((override) => status === undefined || override.status === status);
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
    const body = event.body ? parsePart(approveBodySchema, documentOf(event), 'body') : {};
    return {
      status: 200,
      body: await decideOverride(deps, { ...caller, stored }, id, { verdict: 'approve', ...body }),
    };
  },

  'POST /overrides/{id}/reject': async (event, deps) => {
    const caller = await callerOf(event, deps);
    const stored = requireCatalog(caller);
    const { id } = pathOf(event, idPathSchema);
    const { reason } = parsePart(rejectBodySchema, documentOf(event), 'body');
    return {
      status: 200,
      body: await decideOverride(deps, { ...caller, stored }, id, { verdict: 'reject', comment: reason }),
    };
  },
});

export const handler = onLambda(make);
