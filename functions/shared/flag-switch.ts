import type { Deps } from '#app/deps.ts';
import { setKillSwitch } from '#app/flags/kill-switch.ts';
import { flagSwitchPathSchema, killSwitchBodySchema } from '#api/flags/kill-switch.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import type { ApiEvent } from './api-handler.ts';
import { changeRequestOf, delivered } from './change-request.ts';
import { pathOf } from './params.ts';
import { documentOf } from './request.ts';

/**
 * `POST /environments/{env}/flags/{key}/kill|unkill` `{ reason, override? }`: the caller may deploy
 * (Idempotency-Key and If-Match as for any environment change); one commit of kind flag-kill-switch.
 */
export const flagSwitched = async (event: ApiEvent, deps: Deps) => {
  const request = await changeRequestOf(event, deps, 'deploy', flagSwitchPathSchema);
  const { key, action } = pathOf(event, flagSwitchPathSchema);
  const { reason, override } = parsePart(killSwitchBodySchema, documentOf(event), 'body');
  const input = { flag: key, killed: action === 'kill', reason };
  return delivered(deps, request, await setKillSwitch(deps, { ...request, overrideId: override }, input));
};
