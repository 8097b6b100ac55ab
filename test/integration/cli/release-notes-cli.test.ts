import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import { RELEASE } from '../../fixtures/releases/three-teams.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { seedReleaseWorld } from '../../support/releases.ts';
import { binRunner } from './run-bin.ts';

/**
 * `convoy bundle push` records where a bundle comes from in git, and `convoy release notes` shows it:
 * the real CLI over HTTP to the embedded server on DynamoDB Local, in the three-team world.
 */
const git = promisify(execFile);
let api: TestApi;
let server: ApiServer;
let repo: string;
let principal = 'ivan';
const convoy = binRunner(() => ({ CONVOY_API_URL: server.url, CONVOY_PRINCIPAL: principal }));

const bundleYaml = (version: string, ttl: number): string =>
  `name: identity-session\nversion: "${version}"\nrelease: ${RELEASE}\nteam: identity\ntickets: [ID-42]\nchanges:\n  - set: identity.session.ttlSeconds\n    value: ${ttl}\n`;

const inRepo = (...args: string[]) =>
  git('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=CI', ...args], { cwd: repo });

beforeAll(async () => {
  api = await createTestApi();
  api.clock.now = new Date('2026-12-01T09:00:00Z');
  await seedReleaseWorld(api);
  server = await startApiServer({ port: 0, deps: () => api.deps });
  repo = await mkdtemp(join(tmpdir(), 'convoy-notes-'));
  await inRepo('init', '-q');
  await inRepo('remote', 'add', 'origin', 'https://git.example.com/identity/config.git');
  await writeFile(join(repo, 'session.yaml'), bundleYaml('3', 5400));
  await inRepo('add', '.');
  await inRepo('commit', '-q', '-m', 'identity-session@3');
});

afterAll(async () => {
  await server.close();
  await rm(repo, { recursive: true, force: true });
  await api.table.drop();
});

describe('release notes and bundle sources', () => {
  it('push fills the source from git: the origin remote, HEAD and the path in the repository', async () => {
    const head = (await inRepo('rev-parse', 'HEAD')).stdout.trim();
    const pushed = await convoy('bundle', 'push', join(repo, 'session.yaml'));
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stderr).not.toMatch(/uncommitted/);
    const shown = await api.call('GET', '/bundles/identity-session/versions/3', { as: 'vera' });
    expect(shown.json.bundle.source).toEqual({
      repository: 'https://git.example.com/identity/config.git',
      commit: head,
      path: 'session.yaml',
    });
  });

  it('says when the file has uncommitted changes, and --no-source leaves the source out', async () => {
    await writeFile(join(repo, 'session.yaml'), bundleYaml('4', 6000));
    const dirty = await convoy('bundle', 'push', join(repo, 'session.yaml'));
    expect(dirty.code, dirty.stderr).toBe(0);
    expect(dirty.stderr).toMatch(/uncommitted changes/);
    await writeFile(join(repo, 'session.yaml'), bundleYaml('5', 6600));
    const bare = await convoy('bundle', 'push', '--no-source', join(repo, 'session.yaml'));
    expect(bare.code, bare.stderr).toBe(0);
    const shown = await api.call('GET', '/bundles/identity-session/versions/5', { as: 'vera' });
    expect(shown.json.bundle.source).toBeUndefined();
  });

  it('prints the notes as Markdown against an environment, and as JSON', async () => {
    principal = 'vera';
    const md = await convoy('release', 'notes', RELEASE, '--env', 'prod');
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^# Release 2026\.12-R1/);
    expect(md.stdout).toContain('| identity.session.ttlSeconds | set | 3600 (default) | 6600 |');
    expect(md.stdout).toContain('## Team payments: sign-off missing');
    const json = await convoy('release', 'notes', RELEASE, '--format', 'json');
    expect(json.code, json.stderr).toBe(0);
    const notes = JSON.parse(json.stdout) as { environment?: string; teams: { team: string }[] };
    expect(notes.environment).toBeUndefined();
    expect(notes.teams.map((t) => t.team).sort()).toEqual(['identity', 'payments', 'search']);
  });
});
