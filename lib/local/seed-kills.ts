import { z } from 'zod';
import { segment, type ApiClient } from '#api/client.ts';

/** Demo kill switches: per environment, flags to kill (after the deployments) and why. */
export const demoKillsSchema = z.record(
  z.string(),
  z.array(z.strictObject({ flag: z.string().min(1), reason: z.string().min(1) })),
);
export type DemoKills = z.infer<typeof demoKillsSchema>;

/**
 * Kill each listed flag through POST /environments/{env}/flags/{key}/kill, as a user would; a flag
 * already killed is skipped, so restarts on persisted data are no-ops. Returns [killed, skipped].
 */
export const seedKills = async (client: ApiClient, kills: DemoKills): Promise<[number, number]> => {
  let killed = 0;
  let skipped = 0;
  for (const [env, list] of Object.entries(kills)) {
    for (const { flag, reason } of list) {
      const path = `/environments/${segment(env)}/flags/${segment(flag)}`;
      const current = await client.call<{ flag: { killed?: boolean } }>('GET', path);
      if (current.flag.killed === true) {
        skipped += 1;
        continue;
      }
      await client.request('POST', `${path}/kill`, {
        json: { reason },
        headers: { 'idempotency-key': `demo-kill-${env}-${flag}` },
      });
      killed += 1;
    }
  }
  return [killed, skipped];
};
