import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, fixtureCatalogYaml, type TestApi } from '../support/api.ts';

const yaml = { 'content-type': 'application/yaml' };

describe('catalog routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
  });

  it('answers 404 with a hint before any catalog exists', async () => {
    const res = await api.call('GET', '/catalog');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json.detail).toMatch(/convoy catalog apply/);
  });

  it('refuses a bootstrap catalog that would lock the caller out, writing nothing', async () => {
    const before = await api.table.dump();
    const res = await api.call('PUT', '/catalog', { as: 'mallory', raw: fixtureCatalogYaml, headers: yaml });
    expect(res.status).toBe(422);
    expect(res.json.problems).toEqual([expect.objectContaining({ code: 'catalog.lockout', path: 'roles' })]);
    expect(await api.table.dump()).toEqual(before);
  });

  it.each([
    ['malformed YAML', 'environments: [ { name: dev }', 400, 'document.syntax'],
    ['malformed JSON', '{"environments": [', 400, 'document.syntax'],
    ['an unknown field', 'environments: [{ name: dev }]\nflavour: mint\n', 422, 'field.unknown'],
    ['a wrong type', 'environments: [{ name: 7 }]\n', 422, 'field.type'],
  ])('rejects %s without writing anything', async (_label, raw, status, code) => {
    const before = await api.table.dump();
    const res = await api.call('PUT', '/catalog', { raw, headers: yaml });
    expect(res.status).toBe(status);
    expect(res.json.problems.map((p: { code: string }) => p.code)).toContain(code);
    expect(await api.table.dump()).toEqual(before);
  });

  it('bootstraps, then serves the catalog with its version as ETag', async () => {
    const put = await api.call('PUT', '/catalog', { raw: fixtureCatalogYaml, headers: yaml });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ version: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const get = await api.call('GET', '/catalog', { as: 'vera' });
    expect(get.status).toBe(200);
    expect(get.headers.etag).toBe('"1"');
    expect(get.json.catalog.environments.map((e: { name: string }) => e.name)).toEqual([
      'dev',
      'staging',
      'prod-eu',
      'prod-us',
    ]);
  });

  it('creates a HEAD at version 0 for every environment', async () => {
    const res = await api.call('GET', '/environments');
    expect(res.json.environments.map((e: { head: { version: number } }) => e.head.version)).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it('lets only release managers replace it', async () => {
    const res = await api.call('PUT', '/catalog', { as: 'priya', raw: fixtureCatalogYaml, headers: yaml });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('forbidden');
  });

  it('honours If-Match: a stale version is a conflict', async () => {
    const res = await api.call('PUT', '/catalog', {
      raw: fixtureCatalogYaml,
      headers: { ...yaml, 'if-match': '"0"' },
    });
    expect(res.status).toBe(409);
    const ok = await api.call('PUT', '/catalog', {
      raw: fixtureCatalogYaml,
      headers: { ...yaml, 'if-match': '"1"' },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.version).toBe(2);
  });

  it('names the header and the rule for a malformed If-Match', async () => {
    const res = await api.call('PUT', '/catalog', {
      raw: fixtureCatalogYaml,
      headers: { ...yaml, 'if-match': 'yesterday' },
    });
    expect(res.status).toBe(400);
    expect(res.json.problems[0]).toMatchObject({
      path: 'header.if-match',
      message: expect.stringMatching(/HEAD version/),
    });
  });

  it('rejects an unsupported content-type', async () => {
    const res = await api.call('PUT', '/catalog', {
      raw: fixtureCatalogYaml,
      headers: { 'content-type': 'text/html' },
    });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/Unsupported content-type/);
  });

  it('rejects a request without an authenticated principal', async () => {
    const res = await api.call('GET', '/catalog', { as: null });
    expect(res.status).toBe(403);
  });
});
