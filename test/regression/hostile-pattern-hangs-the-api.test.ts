import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';

/**
 * Symptom (issue 10, item 2): a catalog parameter with `pattern: '^(a+)+$'` and a bundle setting it to
 * 36 `a`s followed by `!`: one `POST /bundles/{name}/versions/{v}/validate` by a viewer held the whole
 * API for minutes, because patterns ran on Node's backtracking engine.
 */
describe('regression: a hostile pattern hung the API', () => {
  let api: TestApi;
  const key = 'identity.session.tag';

  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
    const { catalog } = (await api.call('GET', '/catalog')).json;
    catalog.parameters.push({ key, type: 'string', pattern: '^(a+)+$' });
    expect((await api.call('PUT', '/catalog', { body: catalog })).status).toBe(200);
  });

  it.each([36, 10_000])('validates %i a’s followed by ! promptly, naming the misfit', async (count) => {
    const version = String(count);
    const bundle = {
      name: 'session-tag',
      version,
      release: '2026.12-R1',
      team: 'identity',
      changes: [{ set: key, value: `${'a'.repeat(count)}!` }],
    };
    expect((await api.call('POST', '/bundles', { as: 'ivan', body: bundle })).status).toBe(201);
    const res = await api.call('POST', `/bundles/session-tag/versions/${version}/validate`, { as: 'vera' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      ok: false,
      problems: [
        {
          code: 'value.invalid',
          key,
          path: 'changes[0].value',
          message: expect.stringMatching(/^identity\.session\.tag must match \/\^\(a\+\)\+\$\/, got "a+/),
        },
      ],
    });
  });
});
