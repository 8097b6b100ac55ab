import { z } from 'zod';
import { verifyChain } from '../../lib/domain/audit/event.ts';
import { nameSchema } from '../../lib/domain/core/names.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { readerOf } from '../shared/caller.ts';
import { requireEnvironment } from '../shared/environment-context.ts';
import { queryOf } from '../shared/params.ts';

const instant = z.iso.datetime({ offset: true });
const listQuerySchema = z.strictObject({
  env: nameSchema.optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
const verifyQuerySchema = z.strictObject({ env: nameSchema.optional() });

export const handler = apiHandler({
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
    const chains = (await deps.store.audit.listChains()).filter((c) => env === undefined || c.chain === env);
    const verdicts = await Promise.all(
      chains.map(async ({ chain, head }) =>
        verifyChain(chain, await deps.store.audit.listEvents({ chain }), head),
      ),
    );
    return { status: 200, body: { ok: verdicts.every((v) => v.ok), chains: verdicts } };
  },
});
