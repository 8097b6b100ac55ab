import { z } from 'zod';
import { segment, type ApiClient } from '#api/client.ts';

/** Demo rollouts: started after the deployments, each with its id, bundle and strategy file (YAML). */
export const demoRolloutsSchema = z.array(
  z.strictObject({
    id: z.string().min(1),
    bundle: z.string().regex(/^[^@]+@[^@]+$/),
    /** A strategy file, relative to the demo file. */
    strategy: z.string().min(1),
  }),
);
export type DemoRollouts = z.infer<typeof demoRolloutsSchema>;

/**
 * Start each listed rollout through POST /rollouts, as a user would; one that exists already (running
 * or finished, by its id) is skipped, so restarts on persisted data are no-ops. The workflow engine
 * then runs it. Returns [started, skipped].
 */
export const seedRollouts = async (
  client: ApiClient,
  rollouts: DemoRollouts,
  readStrategy: (file: string) => Promise<unknown>,
): Promise<[number, number]> => {
  let started = 0;
  let skipped = 0;
  for (const { id, bundle, strategy } of rollouts) {
    const existing = await client.request('GET', `/rollouts/${segment(id)}`, { accept: [404] });
    if (existing.status !== 404) {
      skipped += 1;
      continue;
    }
    await client.request('POST', '/rollouts', {
      json: { id, bundle, strategy: await readStrategy(strategy) },
      headers: { 'idempotency-key': `demo-rollout-${id}` },
    });
    started += 1;
  }
  return [started, skipped];
};
