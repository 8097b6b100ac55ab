import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import type { ApiLambda } from '#local/lambda-runtime.ts';
import { RELEASE } from '../../fixtures/releases/three-teams.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { seedReleaseWorld } from '../../support/releases.ts';

/**
 * `convoy release ...` as a user runs it: the real `node bin/convoy-cli.ts`, over HTTP, to the embedded
 * server running the real releases (and deployments) handlers on DynamoDB Local, in the three-team world.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let api: TestApi;
let server: ApiServer;
let dir: string;

const convoy = (as: string, ...args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/convoy-cli.ts', ...args],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NO_COLOR: '1',
          CONVOY_API_URL: server.url,
          CONVOY_PRINCIPAL: as,
        },
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });

beforeAll(async () => {
  api = await createTestApi();
  api.clock.now = new Date('2026-12-01T09:00:00Z');
  await seedReleaseWorld(api);
  const handlers: Partial<Record<string, ApiLambda>> = {
    releases: api.handlers.releases,
    deployments: api.handlers.deployments,
    rollouts: api.handlers.rollouts,
    environments: api.handlers.environments,
  };
  server = await startApiServer({
    port: 0,
    loadHandler: (group) => {
      const handler = handlers[group];
      return handler ? Promise.resolve(handler) : Promise.reject(new Error(`no ${group} handler here`));
    },
  });
  dir = await mkdtemp(join(tmpdir(), 'convoy-release-cli-'));
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('convoy release', () => {
  it('defines a release from a manifest file (release managers only), a repeat is unchanged', async () => {
    const file = join(dir, 'release.yaml');
    await writeFile(
      file,
      `name: ${RELEASE}\ntargetDate: 2026-12-14\nowner: olivia\nbundles:\n  - identity-session\n  - checkout-timeouts\n  - search-ranking\n`,
    );
    const refused = await convoy('priya', 'release', 'define', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('defines a release');
    const defined = await convoy('olivia', 'release', 'define', file);
    expect(defined).toMatchObject({ code: 0, stdout: `✓ release ${RELEASE} defined\n` });
    const again = await convoy('olivia', 'release', 'define', file);
    expect(again.stdout).toContain('unchanged');
    const unnamed = join(dir, 'unnamed.yaml');
    await writeFile(unnamed, 'targetDate: 2026-12-14\nowner: olivia\n');
    expect((await convoy('olivia', 'release', 'define', unnamed)).code).toBe(2);
  });

  it('refuses a deploy without sign-offs (exit 1), and --override-signoffs without --reason (exit 2)', async () => {
    const refused = await convoy('olivia', 'release', 'deploy', RELEASE, '--env', 'dev');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('release.signoffs-missing');
    const noReason = await convoy(
      'olivia',
      'release',
      'deploy',
      RELEASE,
      '--env',
      'dev',
      '--override-signoffs',
    );
    expect(noReason.code).toBe(2);
    expect(await api.store.environments.listDeployments('dev')).toEqual([]);
  });

  it('starts a release rollout: refused without sign-offs (exit 1), --reason alone is usage (exit 2), a release manager overrides', async () => {
    const file = join(dir, 'strategy.yaml');
    await writeFile(
      file,
      'name: two-phases\nphases:\n  - { name: dev, environments: [dev], bake: PT5M }\n  - { name: staging, environments: [staging], bake: PT5M }\nhealth: { alarms: ["{env}-5xx-rate"], interval: PT1M }\n',
    );
    const refused = await convoy('olivia', 'release', 'rollout', RELEASE, '--strategy', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('release.signoffs-missing');
    const reasonOnly = ['--strategy', file, '--reason', 'x'];
    expect((await convoy('olivia', 'release', 'rollout', RELEASE, ...reasonOnly)).code).toBe(2);
    const override = ['--override-signoffs', '--reason', 'demo', '--id', 'ro-rel'];
    const started = await convoy('olivia', 'release', 'rollout', RELEASE, '--strategy', file, ...override);
    expect(started.code).toBe(0);
    expect(started.stdout).toContain(`✓ rollout ro-rel of release ${RELEASE} with strategy two-phases`);
    expect((await api.store.rollouts.events('ro-rel'))[0]).toMatchObject({
      release: { name: RELEASE, signoffOverride: { principal: 'olivia', reason: 'demo' } },
    });
    expect(await api.store.environments.listDeployments('dev')).toEqual([]);
  });

  it('takes sign-offs from team members and the approval, refusing outsiders', async () => {
    const outsider = await convoy('priya', 'release', 'signoff', RELEASE, '--team', 'identity');
    expect(outsider.code).toBe(1);
    expect((await convoy('ivan', 'release', 'signoff', RELEASE)).code).toBe(2);
    for (const [as, team] of [
      ['ivan', 'identity'],
      ['priya', 'payments'],
      ['sam', 'search'],
    ] as const) {
      const run = await convoy(as, 'release', 'signoff', RELEASE, '--team', team, '--note', 'ok');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`signed off for team ${team}`);
    }
    const approved = await convoy('olivia', 'release', 'signoff', RELEASE, '--approve');
    expect(approved.stdout).toContain('Every sign-off is in.');
  });

  it('deploys to dev, shows a partial staging with its two ways out, and rolls back', async () => {
    const deployed = await convoy('olivia', 'release', 'deploy', RELEASE, '--env', 'dev');
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toContain(`✓ ${RELEASE} deployed to dev (HEAD 1)`);
    expect(deployed.stdout).toContain('identity-session@2');
    const one = await api.call('POST', '/environments/staging/deployments', {
      body: { bundle: 'identity-session@2' },
    });
    expect(one.status).toBe(201);

    const status = await convoy('vera', 'release', 'status', RELEASE);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^dev\s+live\s+live\s+live\s+complete$/m);
    expect(status.stdout).toMatch(/^staging\s+live\s+missing\s+missing\s+PARTIAL$/m);
    expect(status.stdout).toContain(`convoy release deploy ${RELEASE} --env staging`);
    expect(status.stdout).toContain(`convoy release rollback ${RELEASE} --env staging`);
    expect(status.stdout).toContain('Ready to deploy.');
    const overview = await convoy('vera', 'status');
    expect(overview.code).toBe(0);
    expect(overview.stdout).toContain(
      `PARTIAL RELEASES\nstaging is partial: only some of ${RELEASE} is live.`,
    );
    expect(overview.stdout).toContain(`convoy release deploy ${RELEASE} --env staging`);
    expect(overview.stdout).toContain(`convoy release rollback ${RELEASE} --env staging`);
    const json = await convoy('vera', 'release', 'status', RELEASE, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ release: RELEASE, progress: 'in-progress' });

    const list = await convoy('vera', 'release', 'list');
    expect(list.stdout).toMatch(
      new RegExp(`^${RELEASE.replace('.', '\\.')}\\s+2026-12-14\\s+3\\s.*staging\\s+yes\\s+yes$`, 'm'),
    );

    const back = await convoy('olivia', 'release', 'rollback', RELEASE, '--env', 'dev');
    expect(back.code).toBe(0);
    expect(back.stdout).toContain(`✓ ${RELEASE} rolled back in dev (HEAD 2)`);
    const again = await convoy('olivia', 'release', 'rollback', RELEASE, '--env', 'dev');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('nothing to roll back');
    const missing = await convoy('vera', 'release', 'status', 'nope');
    expect(missing.code).toBe(1);
  });
});
