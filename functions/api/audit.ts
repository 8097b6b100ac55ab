import { z } from 'zod';
import { takeCheckpoint } from '#app/audit/take-checkpoint.ts';
import { verifyAuditTrail, type AuditTrailDeps } from '#app/audit/verify-audit-trail.ts';
import { ConvoyError } from '#domain/core/errors.ts';
import { nameSchema } from '#domain/core/names.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { requireAllowed, requireCatalog } from '#app/caller.ts';
import { callerOf, readerOf } from '../shared/caller.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import type { Deps } from '#app/deps.ts';
import { requireEnvironment } from '#app/environments/environment-context.ts';
import { queryOf } from '../shared/params.ts';

const instant = z.iso.datetime({ offset: true });
const listQuerySchema = z.strictObject({
  env: nameSchema.optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
const verifyQuerySchema = z.strictObject({ env: nameSchema.optional() });

const trailDeps = (deps: Deps): AuditTrailDeps => ({
  audit: deps.store.audit,
  ...(deps.checkpoints === undefined ? {} : { checkpoints: deps.checkpoints }),
});

export const make = apiHandler({
  'GET /audit': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const query = queryOf(event, listQuerySchema);
    if (query.env !== undefined) requireEnvironment(stored.catalog, query.env);
    const events = await deps.store.audit.listEvents({
      chain: query.env,
      from: query.from,
      to: query.to,
      limit: query.limit ?? 100,
    });
    return { status: 200, body: { events } };
  },

  'GET /audit/verify': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { env } = queryOf(event, verifyQuerySchema);
    if (env !== undefined) requireEnvironment(stored.catalog, env);
    const report = await verifyAuditTrail(trailDeps(deps), env);
    return { status: 200, body: report };
  },

  'POST /audit/checkpoints': async (event, deps) => {
    const caller = await callerOf(event, deps);
    requireCatalog(caller);
    requireAllowed(caller, 'audit:checkpoint');
    if (deps.checkpoints === undefined) {
      throw new ConvoyError('unavailable', 'Audit checkpoints are not configured in this deployment.');
    }
    const signed = await takeCheckpoint(
      { audit: deps.store.audit, checkpoints: deps.checkpoints },
      { principal: caller.principal, at: caller.at },
    );
    return { status: 201, body: signed };
  },
});

export const handler = onLambda(make);
