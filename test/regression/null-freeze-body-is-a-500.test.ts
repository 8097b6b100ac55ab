import { beforeAll, describe, expect, it } from 'vitest';
import { validateFreezeWindow, validateFreezeWindows } from '#domain/freeze/window-validation.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

/**
 * Symptom (issue 10, item 4): `POST /freezes` with the body `null`, `{"windows":[null]}` or the YAML
 * `~` answered 500: validating a window read `forbidRollback` off null (a TypeError in freeze-window.ts).
 */
describe('regression: a null freeze body was a 500', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
  });

  it.each([
    ['JSON null', 'null', 'application/json', 'body', 'null'],
    ['a null window', '{"windows":[null]}', 'application/json', 'body.windows[0]', 'null'],
    ['YAML ~', '~', 'application/yaml', 'body', 'null'],
    ['an empty YAML document', '# nothing here\n', 'application/yaml', 'body', 'null'],
    ['a number', '42', 'application/json', 'body', 'number'],
  ])('%s is a 400 naming the body, and nothing is written', async (_, raw, type, path, found) => {
    const before = await api.table.dump();
    const res = await api.call('POST', '/freezes', { raw, headers: { 'content-type': type } });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json).toMatchObject({ code: 'bad-request', status: 400 });
    expect(res.json.problems).toEqual([
      { code: 'freeze.not-an-object', path, message: expect.stringContaining(`not ${found}`) },
    ]);
    expect(await api.table.dump()).toEqual(before);
  });

  it('the domain validation reports a window that is not an object instead of throwing', () => {
    for (const input of [null, undefined, 7, 'window', true]) {
      const result = validateFreezeWindow(input);
      expect(result.ok).toBe(false);
    }
    const calendar = validateFreezeWindows([null, 3]);
    expect(calendar.ok).toBe(false);
    if (!calendar.ok) expect(calendar.problems.map((p) => p.path)).toEqual(['[0]', '[1]']);
  });
});
