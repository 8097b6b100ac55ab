import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { segment, type ApiClient } from '#api/client.ts';

/**
 * Demo releases: a manifest file (`convoy release define` format, relative to the demo file) and the
 * sign-offs given so far, each by a member of its team.
 */
export const demoReleasesSchema = z.array(
  z.strictObject({
    manifest: z.string().min(1),
    signoffs: z
      .array(z.strictObject({ team: z.string().min(1), as: z.string().min(1), note: z.string().optional() }))
      .default([]),
  }),
);
export type DemoReleases = z.infer<typeof demoReleasesSchema>;

interface ReleaseView {
  manifest?: unknown;
  signoffs: { teams: { team: string; signoff?: unknown }[] };
}

/**
 * Define each release (PUT /releases/{name}) unless it has a manifest, then sign it off for each listed
 * team that has no sign-off yet (POST /releases/{name}/signoffs as the team's member), as users would;
 * restarts on persisted data are no-ops. Returns [written, skipped].
 */
export const seedReleases = async (
  base: string,
  releases: DemoReleases,
  clientAs: (principal: string) => ApiClient,
  client: ApiClient,
): Promise<[number, number]> => {
  let written = 0;
  let skipped = 0;
  for (const { manifest, signoffs } of releases) {
    const text = await readFile(join(base, manifest), 'utf8');
    const { name } = z.looseObject({ name: z.string() }).parse(parse(text));
    const path = `/releases/${segment(name)}`;
    const found = await client.request('GET', path, { accept: [404] });
    const before = found.status === 404 ? undefined : (JSON.parse(found.text) as ReleaseView);
    if (before?.manifest === undefined) {
      await client.request('PUT', path, { text, contentType: 'application/yaml' });
      written += 1;
    } else skipped += 1;
    const view = before ?? (await client.call<ReleaseView>('GET', path));
    for (const { team, as, note } of signoffs) {
      if (view.signoffs.teams.some((t) => t.team === team && t.signoff !== undefined)) {
        skipped += 1;
        continue;
      }
      await clientAs(as).request('POST', `${path}/signoffs`, {
        json: { team, ...(note === undefined ? {} : { note }) },
      });
      written += 1;
    }
  }
  return [written, skipped];
};
