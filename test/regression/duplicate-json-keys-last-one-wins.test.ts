import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';
import { yearEnd } from '../support/freeze.ts';

/**
 * Symptom (issue 10, item 4): a JSON body giving a key twice was read with the last value winning
 * (`{"level":"hard","level":"soft"}` created a soft window), while the same document in YAML was
 * refused. Now JSON refuses it too, naming the key, its path, line and column.
 */
describe('regression: duplicate JSON keys, the last one won', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
  });

  it('a window giving its level twice is a 400 naming body.level, and nothing is written', async () => {
    const before = await api.table.dump();
    const raw = JSON.stringify(yearEnd).replace('"level":"hard"', '"level":"hard",\n"level":"soft"');
    const res = await api.call('POST', '/freezes', { raw, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.json.problems).toEqual([
      {
        code: 'document.duplicate-key',
        path: 'body.level',
        message: 'line 2, column 1: "level" is given twice in one object; give each key once',
      },
    ]);
    expect(await api.table.dump()).toEqual(before);
    expect((await api.call('GET', '/freezes')).json.windows).toEqual([]);
  });

  it('a key spelled with an escape is the same key', async () => {
    const raw = '{"bundle":"checkout-timeouts@3","\\u0062undle":"identity-session@2"}';
    const res = await api.call('POST', '/environments/dev/deployments', {
      raw,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json.problems).toEqual([
      expect.objectContaining({ code: 'document.duplicate-key', path: 'body.bundle' }),
    ]);
  });

  it('YAML is refused as before', async () => {
    const res = await api.call('POST', '/freezes', {
      raw: 'id: a\nid: b\n',
      headers: { 'content-type': 'application/yaml' },
    });
    expect(res.status).toBe(400);
    expect(res.json.problems[0]).toMatchObject({ code: 'document.syntax', path: 'body' });
  });
});
