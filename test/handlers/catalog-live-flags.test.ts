import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';
import { flagCatalogDocument, flagsBundle } from '../support/flags.ts';

/**
 * PUT /catalog may not remove or retype a flag that some environment's HEAD holds: 422 problem+json
 * naming the flag and the environments, and nothing written (DynamoDB Local table unchanged).
 */
type CatalogDoc = { flags: { key: string; type: string }[] } & Record<string, unknown>;

let api: TestApi;
const base = flagCatalogDocument() as CatalogDoc;
const withFlags = (flags: CatalogDoc['flags']): CatalogDoc => ({ ...base, flags });

beforeAll(async () => {
  api = await createTestApi();
  expect((await api.call('PUT', '/catalog', { body: base })).status).toBe(200);
  expect((await api.call('POST', '/bundles', { body: flagsBundle })).status).toBe(201);
  for (const env of ['staging', 'prod-eu']) {
    const res = await api.call('POST', `/environments/${env}/deployments`, {
      body: { bundle: 'checkout-flags@1' },
    });
    expect(res.status, res.text).toBe(201);
  }
});
afterAll(async () => {
  await api.table.drop();
});

describe('PUT /catalog keeps live flags', () => {
  it.each<[string, (flags: CatalogDoc['flags']) => CatalogDoc['flags'], string, string, RegExp]>([
    [
      'a type change',
      (flags) => flags.map((f) => (f.key === 'checkout.static' ? { ...f, type: 'string' } : f)),
      'catalog.flag-live-type-change',
      'checkout.static',
      /^flag checkout\.static is live in staging, prod-eu as boolean; it cannot become string/,
    ],
    [
      'a removal',
      (flags) => flags.filter((f) => f.key !== 'checkout.split'),
      'catalog.flag-live-removed',
      'checkout.split',
      /^flag checkout\.split is live in staging, prod-eu; delete it in a bundle there/,
    ],
  ])('refuses %s of a live flag with 422, writing nothing', async (_label, change, code, key, message) => {
    const before = await api.table.dump();
    const res = await api.call('PUT', '/catalog', { body: withFlags(change(base.flags)) });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json.problems).toEqual([
      expect.objectContaining({ code, key, message: expect.stringMatching(message) }),
    ]);
    expect(await api.table.dump()).toEqual(before);
  });

  it('accepts a type change of a flag no environment holds, and adding flags', async () => {
    const flags = [...base.flags, { key: 'checkout.fresh', type: 'boolean' }];
    expect((await api.call('PUT', '/catalog', { body: withFlags(flags) })).status).toBe(200);
    const retyped = flags.map((f) => (f.key === 'checkout.fresh' ? { ...f, type: 'number' } : f));
    expect((await api.call('PUT', '/catalog', { body: withFlags(retyped) })).status).toBe(200);
  });

  it('accepts the removal once a bundle deleted the flag everywhere it was live', async () => {
    const deleting = { ...flagsBundle, version: '2', changes: [{ delete: 'checkout.static' }] };
    expect((await api.call('POST', '/bundles', { body: deleting })).status).toBe(201);
    for (const env of ['staging', 'prod-eu'])
      expect(
        (await api.call('POST', `/environments/${env}/deployments`, { body: { bundle: 'checkout-flags@2' } }))
          .status,
      ).toBe(201);
    const res = await api.call('PUT', '/catalog', {
      body: withFlags(base.flags.filter((f) => f.key !== 'checkout.static')),
    });
    expect(res.status, res.text).toBe(200);
  });
});
