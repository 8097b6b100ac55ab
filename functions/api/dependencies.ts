import {
  dependenciesQuerySchema,
  dependencyPathQuerySchema,
  dependencyPicture,
  impactBodySchema,
} from '#api/dependencies.ts';
import { dependencyPath, dependencyView } from '#app/dependencies/dependency-view.ts';
import { impactOf } from '#app/dependencies/impact-of.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { readerOf } from '../shared/caller.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { queryOf } from '../shared/params.ts';
import { documentOf } from '../shared/request.ts';

export const make = apiHandler({
  'POST /impact': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const body = parsePart(impactBodySchema, documentOf(event), 'body');
    return { status: 200, body: await impactOf(deps, stored.catalog, body) };
  },

  'GET /dependencies': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const query = queryOf(event, dependenciesQuerySchema);
    const { subgraph, totals } = await dependencyView(deps, stored.catalog, query);
    if (query.format !== 'json') {
      const { contentType, text } = dependencyPicture(query.format, subgraph);
      return { status: 200, headers: { 'content-type': contentType }, text };
    }
    const focus = query.focus === undefined ? {} : { focus: query.focus };
    return { status: 200, body: { ...focus, depth: query.depth, totals, ...subgraph } };
  },

  'GET /dependencies/path': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    const { from, to } = queryOf(event, dependencyPathQuerySchema);
    return { status: 200, body: await dependencyPath(deps, stored.catalog, from, to) };
  },
});

export const handler = onLambda(make);
