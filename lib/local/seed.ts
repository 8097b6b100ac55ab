import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { createApiClient, segment, type ApiClient } from '#api/client.ts';
import { projectRoot } from './lambda-runtime.ts';
import { demoKillsSchema, seedKills } from './seed-kills.ts';
import { demoRolloutsSchema, seedRollouts } from './seed-rollouts.ts';
import { demoReleasesSchema, seedReleases } from './seed-releases.ts';

const demoSchema = z.strictObject({
  principal: z.string().min(1),
  catalog: z.string().min(1),
  services: z.string().min(1),
  bundles: z.array(z.string().min(1)),
  deployments: z.record(z.string(), z.array(z.string().regex(/^[^@]+@[^@]+$/))),
  /** The freeze calendar, added after the deployments (a freeze in force would refuse them). */
  freezes: z.string().min(1).optional(),
  /** Flags killed after the deployments (seed-kills.ts). */
  kills: demoKillsSchema.optional(),
  /** Rollouts started after the kills, left running for the tour (seed-rollouts.ts). */
  rollouts: demoRolloutsSchema.optional(),
  /** Release manifests and the sign-offs given so far (seed-releases.ts). */
  releases: demoReleasesSchema.optional(),
  /** Evaluation counts to report per environment, as a provider would (so `convoy flag report` has figures). */
  metrics: z
    .record(
      z.string(),
      z.array(
        z.strictObject({ flag: z.string(), variant: z.string(), reason: z.string(), count: z.number() }),
      ),
    )
    .optional(),
});
const servicesSchema = z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number()])));
const bundleHeadSchema = z.looseObject({ name: z.string(), version: z.union([z.string(), z.number()]) });

export const defaultDemoFile = join(projectRoot, 'examples', 'demo.yaml');

interface EnvironmentView {
  name: string;
  bundles: string[];
  services: { service: string; version: string }[];
}

export interface SeedReport {
  catalog: 'applied' | 'present';
  services: number;
  bundles: number;
  deployments: number;
  freezes: number;
  kills?: number;
  rollouts?: number;
  /** Release manifests defined and sign-offs given. */
  releases?: number;
  skipped: number;
}

const readYaml = async (file: string): Promise<unknown> => parse(await readFile(file, 'utf8')) as unknown;

const environments = async (client: ApiClient): Promise<Map<string, EnvironmentView>> => {
  const { environments: list } = await client.call<{ environments: EnvironmentView[] }>(
    'GET',
    '/environments',
  );
  return new Map(list.map((e) => [e.name, e]));
};

type Demo = z.infer<typeof demoSchema>;

interface Seeding {
  demo: Demo;
  base: string;
  client: ApiClient;
  report: SeedReport;
  /** The runtime's clock (epoch ms): the API's now, also under `--clock`. */
  now: () => number;
}

/** Service versions: environments in parallel; within one, in order (they append to one audit chain). */
const seedServices = async ({ demo, base, client, report }: Seeding, envs: Map<string, EnvironmentView>) => {
  const services = servicesSchema.parse(await readYaml(join(base, demo.services)));
  await Promise.all(
    Object.entries(services).map(async ([env, versions]) => {
      for (const [service, version] of Object.entries(versions)) {
        if (envs.get(env)?.services.some((s) => s.service === service)) {
          report.skipped += 1;
          continue;
        }
        await client.request('PUT', `/environments/${segment(env)}/services/${segment(service)}`, {
          json: { version: String(version) },
        });
        report.services += 1;
      }
    }),
  );
};

/** Bundles, in order (each push appends to the global audit chain). */
const seedBundles = async ({ demo, base, client, report }: Seeding) => {
  const { bundles } = await client.call<{ bundles: { name: string; version: string }[] }>('GET', '/bundles');
  const pushed = new Set(bundles.map((b) => `${b.name}@${b.version}`));
  for (const file of demo.bundles) {
    const text = await readFile(join(base, file), 'utf8');
    const head = bundleHeadSchema.parse(parse(text));
    if (pushed.has(`${head.name}@${String(head.version)}`)) {
      report.skipped += 1;
      continue;
    }
    await client.request('POST', '/bundles', { text, contentType: 'application/yaml' });
    report.bundles += 1;
  }
};

/** Deployments: environments in parallel, each in the listed order (dependencies first). */
const seedDeployments = async ({ demo, client, report }: Seeding) => {
  const envs = await environments(client);
  await Promise.all(
    Object.entries(demo.deployments).map(async ([env, refs]) => {
      for (const ref of refs) {
        const name = ref.slice(0, ref.lastIndexOf('@'));
        // Skip what is deployed, and bundles someone has since moved to another version.
        if (envs.get(env)?.bundles.some((b) => b === ref || b.startsWith(`${name}@`))) {
          report.skipped += 1;
          continue;
        }
        await client.request('POST', `/environments/${segment(env)}/deployments`, {
          json: { bundle: ref },
          headers: { 'idempotency-key': `demo-${env}-${ref.replace('@', '-')}` },
        });
        report.deployments += 1;
      }
    }),
  );
};

/** Freeze windows not present yet (by id), in one request; windows someone has since edited are kept. */
const seedFreezes = async ({ demo, base, client, report }: Seeding) => {
  if (demo.freezes === undefined) return;
  const calendar = z
    .looseObject({ windows: z.array(z.looseObject({ id: z.string() })) })
    .parse(await readYaml(join(base, demo.freezes)));
  const { windows: existing } = await client.call<{ windows: { id: string }[] }>('GET', '/freezes');
  const present = new Set(existing.map((w) => w.id));
  const missing = calendar.windows.filter((w) => !present.has(w.id));
  report.skipped += calendar.windows.length - missing.length;
  if (missing.length === 0) return;
  await client.request('POST', '/freezes', { json: { windows: missing } });
  report.freezes += missing.length;
};

/**
 * Evaluation counts, sent like a provider's batch (one minute up to the API's now), for the
 * environments whose flags no evaluation was counted for yet (so a restart counts nothing twice).
 */
const seedMetrics = async ({ demo, client, now }: Seeding) => {
  // Not GET /health's now: /health answers 503 until the runtime is ready, after the seeding.
  const stop = now();
  for (const [env, counts] of Object.entries(demo.metrics ?? {})) {
    const path = `/environments/${segment(env)}/flags`;
    const report = await client.call<{ flags: { evaluations: number }[] }>('GET', `${path}/report`);
    if (report.flags.some((f) => f.evaluations > 0)) continue;
    const bucket = {
      start: new Date(stop - 60_000).toISOString(),
      stop: new Date(stop).toISOString(),
      counts,
    };
    await client.request('POST', `${path}/metrics`, { json: { appName: 'convoy-demo', bucket } });
  }
};

/**
 * Seed the demo through the HTTP API, as the demo's principal, so every step is validated and
 * audited like any user's. Whatever already exists is skipped, so restarts on persisted data are no-ops.
 */
export const seedDemo = async (
  apiUrl: string,
  demoFile = defaultDemoFile,
  now: () => number = Date.now,
): Promise<SeedReport> => {
  const demo = demoSchema.parse(await readYaml(demoFile));
  const seeding: Seeding = {
    demo,
    base: dirname(demoFile),
    client: createApiClient({ baseUrl: apiUrl, principal: demo.principal }),
    report: { catalog: 'present', services: 0, bundles: 0, deployments: 0, freezes: 0, skipped: 0 },
    now,
  };
  const { client, report } = seeding;
  const existing = await client.request('GET', '/catalog', { accept: [404] });
  if (existing.status === 404) {
    const text = await readFile(join(seeding.base, demo.catalog), 'utf8');
    await client.request('PUT', '/catalog', { text, contentType: 'application/yaml' });
    report.catalog = 'applied';
  }
  const envs = await environments(client);
  await Promise.all([seedServices(seeding, envs), seedBundles(seeding)]);
  await seedDeployments(seeding);
  if (demo.kills !== undefined) {
    const [killed, skipped] = await seedKills(client, demo.kills);
    report.kills = killed;
    report.skipped += skipped;
  }
  if (demo.rollouts !== undefined) {
    const read = (file: string) => readYaml(join(seeding.base, file));
    const [started, skipped] = await seedRollouts(client, demo.rollouts, read);
    report.rollouts = started;
    report.skipped += skipped;
  }
  if (demo.releases !== undefined) {
    const as = (principal: string) => createApiClient({ baseUrl: apiUrl, principal });
    const [written, skipped] = await seedReleases(seeding.base, demo.releases, as, client);
    report.releases = written;
    report.skipped += skipped;
  }
  await seedFreezes(seeding);
  await seedMetrics(seeding);
  return report;
};

/** Five commands to try on the demo data, for the API at `apiUrl`. */
export const demoTour = (apiUrl: string, defaultApiUrl: string): string[] => {
  const api = apiUrl === defaultApiUrl ? '' : ` --api ${apiUrl}`;
  return [
    `npx convoy status${api}`,
    `npx convoy config get --env prod-eu --prefix payments${api}`,
    `npx convoy bundle validate examples/bundles/checkout-timeouts.yaml --env prod-us${api}`,
    `npx convoy deploy checkout-timeouts@3 --env staging --as olivia${api}`,
    `npx convoy freeze status --env prod-eu${api}`,
  ];
};
