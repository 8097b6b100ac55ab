import { validateCatalog, catalogLocksOut } from '#domain/catalog/validate-catalog.ts';
import { validationFailed } from '#domain/core/errors.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { requireAllowed } from '#app/caller.ts';
import { requireLiveFlagsKept } from '#app/catalog/live-flag-guard.ts';
import { callerOf, readerOf } from '../shared/caller.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { versionHeader } from '../shared/params.ts';
import { documentOf, headerOf } from '../shared/request.ts';

export const make = apiHandler({
  'GET /catalog': async (event, deps) => {
    const { stored } = await readerOf(event, deps);
    return {
      status: 200,
      headers: { etag: `"${stored.version}"` },
      body: { version: stored.version, hash: stored.hash, catalog: stored.catalog },
    };
  },

  'PUT /catalog': async (event, deps) => {
    const caller = await callerOf(event, deps);
    requireAllowed(caller, 'catalog:write');
    const result = validateCatalog(documentOf(event));
    if (!result.ok) throw validationFailed('The catalog is invalid.', result.problems);
    if (catalogLocksOut(result.catalog, caller.principal)) {
      throw validationFailed('Applying this catalog would lock you out.', [
        {
          code: 'catalog.lockout',
          path: 'roles',
          message: `${caller.principal} would no longer be a release-manager; keep that role in roles`,
        },
      ]);
    }
    await requireLiveFlagsKept(deps, caller.stored?.catalog, result.catalog);
    const expected = versionHeader(headerOf(event, 'if-match'), 'if-match') ?? caller.stored?.version ?? 0;
    const saved = await deps.store.catalogs.putCatalog(result.catalog, expected, {
      principal: caller.principal,
      at: caller.at,
    });
    return {
      status: 200,
      headers: { etag: `"${saved.version}"` },
      body: { version: saved.version, hash: saved.hash, warnings: result.problems },
    };
  },
});

export const handler = onLambda(make);
