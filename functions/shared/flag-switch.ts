import type { Deps } from '#app/deps.ts';
import { setKillSwitch } from '#app/flags/kill-switch.ts';
import {
  flagSwitchPathSchema,
  killSwitchBodySchema,
  type KillSwitchUnchangedResponse,
} from '#api/flags/kill-switch.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import type { ApiEvent } from './api-handler.ts';
import { changeRequestOf, delivered } from './change-request.ts';
import { pathOf } from './params.ts';
import { documentOf } from './request.ts';

/**
 * `POST /environments/{env}/flags/{key}/kill|unkill` `{ reason, override? }`: the caller may kill that
 * flag (flag:kill: may deploy, or is of the team owning it; Idempotency-Key and If-Match as for any
 * environment change); one commit of kind flag-kill-switch (201), or 200 `unchanged` when the switch
 * is already in that position.
 */
export const flagSwitched = async (event: ApiEvent, deps: Deps) => {
  const { key, action } = pathOf(event, flagSwitchPathSchema);
  const request = await changeRequestOf(event, deps, 'flag:kill', flagSwitchPathSchema, { flag: key });
  const { reason, override } = parsePart(killSwitchBodySchema, documentOf(event), 'body');
  const input = { flag: key, killed: action === 'kill', reason };
  const result = await setKillSwitch(deps, { ...request, overrideId: override }, input);
  if (!result.unchanged) return delivered(deps, request, result);
  const { environment, flag, killed, head } = result;
  const body: KillSwitchUnchangedResponse = {
    unchanged: true,
    environment,
    flag: { key: flag, killed },
    head: { version: head.version, snapshot: head.snapshot },
    deploymentId: head.deploymentId ?? null,
  };
  return { status: 200, headers: { etag: `"${head.version}"` }, body };
};
