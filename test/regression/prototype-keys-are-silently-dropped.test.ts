import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';
import { yearEnd } from '../support/freeze.ts';

/**
 * Symptom (issue 10, item 4): `__proto__`, `constructor` and `prototype` keys in a body were dropped
 * without a word by some schemas, reported as an unknown field by others, and are what prototype
 * pollution rides on. Now every route refuses them, wherever they are, naming the path.
 */
describe('regression: prototype keys were silently dropped', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
  });

  it.each([
    [
      'POST',
      '/freezes',
      `{"__proto__":{"level":"soft"},${JSON.stringify(yearEnd).slice(1)}`,
      'body.__proto__',
    ],
    [
      'POST',
      '/freezes',
      JSON.stringify({ windows: [{ ...yearEnd, scope: { constructor: 1 } }] }),
      'body.windows[0].scope.constructor',
    ],
    ['POST', '/environments/dev/sync', '{"prototype":{}}', 'body.prototype'],
    ['POST', '/overrides/o-1/approve', '[{"\\u005f_proto__":1}]', 'body[0].__proto__'],
  ])(
    '%s %s with a reserved key is a 400 naming it, and nothing is written',
    async (method, url, raw, path) => {
      const before = await api.table.dump();
      const res = await api.call(method, url, { raw, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code: 'bad-request', status: 400, title: 'Bad request' });
      expect(res.json.problems).toEqual([
        { code: 'body.reserved-key', path, message: expect.stringMatching(/is a reserved key/) },
      ]);
      expect(await api.table.dump()).toEqual(before);
    },
  );

  it('a reserved key in YAML is refused the same way', async () => {
    const res = await api.call('PUT', '/catalog', {
      raw: 'environments: [{ name: dev }]\n__proto__: { admin: true }\n',
      headers: { 'content-type': 'application/yaml' },
    });
    expect(res.status).toBe(400);
    expect(res.json.problems).toEqual([
      expect.objectContaining({ code: 'body.reserved-key', path: 'body.__proto__' }),
    ]);
  });
});
