import { requireAllowed, requireCatalog } from '#app/caller.ts';
import type { Deps } from '#app/deps.ts';
import type { ChangeRequest, ChangeResult } from '#app/deployments/change-environment.ts';
import { requireEnvironment } from '#app/environments/environment-context.ts';
import { publishAfterCommit } from '#app/sinks/sync-sink.ts';
import { releasePathSchema, releaseChangeResponse } from '#api/releases.ts';
import type { ApiEvent } from './api-handler.ts';
import { callerOf } from './caller.ts';
import { idempotencyKeyOf, pathOf, versionHeader } from './params.ts';
import { headerOf } from './request.ts';

/**
 * A release deploy or rollback as the event asks for it: the environment comes from the body, the
 * caller must be allowed to deploy (or roll back), If-Match and Idempotency-Key as for one bundle.
 */
export const releaseChangeOf = async (
  event: ApiEvent,
  deps: Deps,
  action: 'deploy' | 'rollback',
  body: { environment: string; override?: string | undefined },
): Promise<{ release: string; request: ChangeRequest }> => {
  const caller = await callerOf(event, deps);
  const { name } = pathOf(event, releasePathSchema);
  const catalog = requireCatalog(caller);
  requireAllowed(caller, action);
  requireEnvironment(catalog.catalog, body.environment);
  const request: ChangeRequest = {
    environment: body.environment,
    principal: caller.principal,
    at: caller.at,
    catalog,
    idempotencyKey: idempotencyKeyOf(event),
    expectedVersion: versionHeader(headerOf(event, 'if-match'), 'if-match'),
    ...(body.override === undefined ? {} : { overrideId: body.override }),
  };
  return { release: name, request };
};

/** The committed release change, then its delivery to the environment's sinks (AppConfig). */
export const releaseDelivered = async (
  deps: Deps,
  release: string,
  request: ChangeRequest,
  result: ChangeResult,
) => ({
  status: 201,
  headers: { etag: `"${result.head.version}"` },
  body: releaseChangeResponse(
    release,
    result,
    await publishAfterCommit(deps, request.catalog.catalog, result.deployment),
  ),
});
