import type { z } from 'zod';
import { requireAllowed, requireCatalog, type Subject } from '#app/caller.ts';
import type { Deps } from '#app/deps.ts';
import type { ChangeRequest, ChangeResult } from '#app/deployments/change-environment.ts';
import { publishAfterCommit } from '#app/sinks/sync-sink.ts';
import { changeResponse } from '#api/deployments.ts';
import { envPathSchema } from '#api/params.ts';
import type { ApiEvent } from './api-handler.ts';
import { callerOf } from './caller.ts';
import { idempotencyKeyOf, pathOf, versionHeader } from './params.ts';
import { headerOf } from './request.ts';

/**
 * A deploy, rollback or kill switch (POST …/deployments, …/rollback, …/flags/{key}/kill) as the event
 * asks for it: the caller may make it (`subject`: what the action is about, e.g. the flag), HEAD and key as sent.
 */
export const changeRequestOf = async (
  event: ApiEvent,
  deps: Deps,
  action: 'deploy' | 'rollback' | 'flag:kill',
  path: z.ZodType<{ env: string }> = envPathSchema,
  subject: Subject = {},
): Promise<ChangeRequest> => {
  const caller = await callerOf(event, deps);
  const { env } = pathOf(event, path);
  const catalog = requireCatalog(caller);
  requireAllowed(caller, action, subject);
  return {
    environment: env,
    principal: caller.principal,
    at: caller.at,
    catalog,
    idempotencyKey: idempotencyKeyOf(event),
    expectedVersion: versionHeader(headerOf(event, 'if-match'), 'if-match'),
  };
};

/** The committed change, then its delivery to the environment's sinks (only when it has any). */
export const delivered = async (deps: Deps, request: ChangeRequest, result: ChangeResult) => ({
  status: 201,
  headers: { etag: `"${result.head.version}"` },
  body: changeResponse(result, await publishAfterCommit(deps, request.catalog.catalog, result.deployment)),
});
