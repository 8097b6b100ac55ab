import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';

/** User patterns through the real API: hostile ones validate promptly, unsupported ones are refused. */

const HOSTILE = '^(a+)+$';
const hostileValue = `${'a'.repeat(10_000)}!`;
const key = 'identity.session.tag';

const sessionTag = {
  name: 'session-tag',
  version: '1',
  release: '2026.12-R1',
  team: 'identity',
  changes: [{ set: key, value: hostileValue }],
};

describe('user patterns through the API', () => {
  let api: TestApi;
  // The applied catalog document, to derive variants from.
  let catalog: { parameters: Record<string, unknown>[] } & Record<string, unknown>;

  const withPattern = (pattern: string) => ({
    ...catalog,
    parameters: [...catalog.parameters, { key, type: 'string', pattern }],
  });

  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
    catalog = (await api.call('GET', '/catalog')).json.catalog;
  });

  it('applies a catalog with a hostile but linear-time pattern', async () => {
    const res = await api.call('PUT', '/catalog', { body: withPattern(HOSTILE) });
    expect(res.status, res.text).toBe(200);
    expect(res.json.version).toBe(2);
  });

  it('validates a hostile value for a viewer, promptly and with the right problem', async () => {
    const pushed = await api.call('POST', '/bundles', { as: 'ivan', body: sessionTag });
    expect(pushed.status, pushed.text).toBe(201);
    for (const query of ['', '?env=prod-eu']) {
      const res = await api.call('POST', `/bundles/session-tag/versions/1/validate${query}`, { as: 'vera' });
      expect(res.status).toBe(200);
      expect(res.json.ok).toBe(false);
      expect(res.json.problems).toContainEqual({
        code: 'value.invalid',
        key,
        path: 'changes[0].value',
        message: `${key} must match /^(a+)+$/, got "${'a'.repeat(76)}...`,
      });
    }
  });

  it.each([
    ['a backreference', '(a)\\1', 'catalog.pattern-unsupported', /uses a backreference `\\1`/],
    ['a lookahead', '(?=a)', 'catalog.pattern-unsupported', /uses a lookahead `\(\?=`/],
    ['a syntax error', '(', 'catalog.pattern-invalid', /is not a valid regular expression/],
  ])(
    'refuses a catalog with %s in a pattern, naming the field and writing nothing',
    async (_, pattern, code, why) => {
      const before = await api.table.dump();
      const res = await api.call('PUT', '/catalog', { body: withPattern(pattern) });
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.json.problems).toEqual([
        {
          code,
          key,
          path: `parameters[${catalog.parameters.length}].pattern`,
          message: expect.stringMatching(why),
        },
      ]);
      expect(await api.table.dump()).toEqual(before);
      expect((await api.call('GET', '/catalog')).json.version).toBe(2);
    },
  );

  it('refuses a JSON Schema pattern it cannot run, naming its path', async () => {
    const body = {
      ...catalog,
      parameters: [
        ...catalog.parameters,
        { key, type: 'json', schema: { type: 'object', properties: { id: { pattern: '(?<!x)y' } } } },
      ],
    };
    const before = await api.table.dump();
    const res = await api.call('PUT', '/catalog', { body });
    expect(res.status).toBe(422);
    expect(res.json.problems).toEqual([
      expect.objectContaining({
        code: 'catalog.pattern-unsupported',
        key,
        path: `parameters[${catalog.parameters.length}].schema.properties.id.pattern`,
      }),
    ]);
    expect(await api.table.dump()).toEqual(before);
  });
});
