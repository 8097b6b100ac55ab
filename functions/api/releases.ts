import { defineRelease } from '#app/releases/define-release.ts';
import { releaseNotesOf } from '#app/releases/release-notes-of.ts';
import { signOffRelease } from '#app/releases/sign-off-release.ts';
import { deployRelease, rollbackRelease } from '#app/releases/deploy-release.ts';
import * as wire from '#api/releases.ts';
import { releaseChangeOf, releaseDelivered } from '../shared/release-change.ts';
import { readRelease, readReleaseList } from '../shared/release-read.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import { apiHandler } from '../shared/api-handler.ts';
import { callerOf, readerOf } from '../shared/caller.ts';
import { onLambda } from '../shared/lambda-deps.ts';
import { pathOf, queryOf } from '../shared/params.ts';
import { documentOf } from '../shared/request.ts';

export const make = apiHandler({
  'GET /releases': async (event, deps) => ({ status: 200, body: await readReleaseList(event, deps) }),
  'PUT /releases/{name}': async (event, deps) => {
    const caller = await callerOf(event, deps);
    const { name } = pathOf(event, wire.releasePathSchema);
    const result = await defineRelease(deps, caller, name, documentOf(event));
    const body = { release: name, created: result.created, changed: result.changed };
    return { status: result.created ? 201 : 200, body };
  },
  'GET /releases/{name}': async (event, deps) => ({ status: 200, body: await readRelease(event, deps) }),
  'GET /releases/{name}/notes': async (event, deps) => {
    const { stored, at } = await readerOf(event, deps);
    const { name } = pathOf(event, wire.releasePathSchema);
    const { environment } = queryOf(event, wire.releaseNotesQuerySchema);
    return { status: 200, body: await releaseNotesOf(deps, stored.catalog, name, at, environment) };
  },
  'POST /releases/{name}/signoffs': async (event, deps) => {
    const caller = await callerOf(event, deps);
    const { name } = pathOf(event, wire.releasePathSchema);
    const body = parsePart(wire.signoffBodySchema, documentOf(event), 'body');
    const { signoffs } = await signOffRelease(deps, caller, name, body);
    return { status: 201, body: { release: name, signoffs } };
  },
  'POST /releases/{name}/deployments': async (event, deps) => {
    const body = parsePart(wire.releaseDeployBodySchema, documentOf(event), 'body');
    const { release, request } = await releaseChangeOf(event, deps, 'deploy', body);
    const reason = body.overrideSignoffs?.reason;
    const result = await deployRelease(deps, request, release, { overrideSignoffsReason: reason });
    return releaseDelivered(deps, release, request, result);
  },
  'POST /releases/{name}/rollback': async (event, deps) => {
    const body = parsePart(wire.releaseRollbackBodySchema, documentOf(event), 'body');
    const { release, request } = await releaseChangeOf(event, deps, 'rollback', body);
    return releaseDelivered(deps, release, request, await rollbackRelease(deps, request, release));
  },
});

export const handler = onLambda(make);
