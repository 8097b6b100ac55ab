import { beforeAll, describe, expect, it } from 'vitest';
import type { ReleaseNotes } from '#domain/releases/release-notes.ts';
import { RELEASE, identitySession } from '../fixtures/releases/three-teams.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { seedReleaseWorld } from '../support/releases.ts';

const path = `/releases/${RELEASE}/notes`;
const withQuery = (query: Record<string, string>): string => `${path}?${new URLSearchParams(query)}`;

/** `GET /releases/{name}/notes` on DynamoDB Local: the three-team release, before and after staging's HEAD. */
describe('release notes route', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    api.clock.now = new Date('2026-12-01T09:00:00Z');
    const source = {
      repository: 'https://example.com/identity.git',
      commit: 'abcdef1234567',
      path: 'b.yaml',
    };
    await seedReleaseWorld(api, [identitySession({ tickets: ['ID-7'], source })]);
    const deployed = await api.call('POST', '/environments/staging/deployments', {
      body: { bundle: 'identity-session@2' },
    });
    expect(deployed.status, deployed.text).toBe(201);
  });

  it('gives the values before from the named environment, and after', async () => {
    const dev = await api.call('GET', withQuery({ environment: 'dev' }), { as: 'vera' });
    expect(dev.status, dev.text).toBe(200);
    const notes = dev.json as ReleaseNotes;
    expect(notes.environment).toBe('dev');
    expect(notes.teams[0]?.bundles[0]).toMatchObject({
      bundle: 'identity-session@2',
      tickets: ['ID-7'],
      source: { commit: 'abcdef1234567' },
      changes: [{ key: 'identity.session.ttlSeconds', before: 3600, after: 7200, defaulted: ['before'] }],
    });
    const staging = (await api.call('GET', withQuery({ environment: 'staging' }), { as: 'vera' }))
      .json as ReleaseNotes;
    expect(staging.teams[0]?.bundles[0]?.changes[0]).toMatchObject({ before: 7200, after: 7200 });
  });

  it('gives values after only without an environment', async () => {
    const res = await api.call('GET', path, { as: 'vera' });
    expect(res.status).toBe(200);
    expect(res.json.environment).toBeUndefined();
    expect(res.json.teams[0].bundles[0].changes[0].before).toBeUndefined();
  });

  it.each([
    ['an environment the catalog lacks', { environment: 'nowhere' }, 404, undefined],
    ['a hostile environment name', { environment: '../etc' }, 400, 'query.environment'],
    ['an unknown query field', { env: 'dev' }, 400, 'query'],
  ])('answers %s with a problem', async (_what, query, status, field) => {
    const res = await api.call('GET', withQuery(query), { as: 'vera' });
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    if (field !== undefined) expect(JSON.stringify(res.json.problems)).toContain(field);
  });

  it('answers 404 for a release nothing names', async () => {
    expect((await api.call('GET', '/releases/2099.01-X/notes', { as: 'vera' })).status).toBe(404);
  });

  it('refuses a source that is not a commit id, naming the field; nothing is written', async () => {
    const before = await api.table.dump();
    const bad = {
      ...identitySession().bundle,
      version: '3',
      source: { repository: 'r', commit: 'main', path: 'p' },
    };
    const res = await api.call('POST', '/bundles', { as: 'ivan', body: bad });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.json.problems)).toContain('source.commit');
    expect(await api.table.dump()).toEqual(before);
  });
});
