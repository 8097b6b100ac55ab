import { beforeAll, describe, expect, it } from 'vitest';
import { checkoutTimeouts, sessionTtl } from '../fixtures/bundles.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

describe('bundle routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
  });

  it('pushes a bundle and seals it with a content hash', async () => {
    const res = await api.call('POST', '/bundles', { as: 'priya', body: checkoutTimeouts });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      name: 'checkout-timeouts',
      version: '3',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      created: true,
    });
  });

  it('accepts the same name@version with the same content again (idempotent), in any key order', async () => {
    const reordered = Object.fromEntries(Object.entries(checkoutTimeouts).reverse());
    const res = await api.call('POST', '/bundles', { as: 'priya', body: reordered });
    expect(res.status).toBe(200);
    expect(res.json.created).toBe(false);
  });

  it('refuses different content under the same name@version, naming both hashes', async () => {
    const first = await api.call('GET', '/bundles/checkout-timeouts/versions/3');
    const changed = { ...checkoutTimeouts, changes: [{ set: 'payments.checkout.timeoutMs', value: 2600 }] };
    const before = await api.table.dump();
    const res = await api.call('POST', '/bundles', { as: 'priya', body: changed });
    expect(res.status).toBe(409);
    expect(res.json.existingHash).toBe(first.json.hash);
    expect(res.json.pushedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(res.json.detail).toContain(first.json.hash);
    expect(res.json.detail).toContain(res.json.pushedHash);
    expect(await api.table.dump()).toEqual(before);
  });

  it.each([
    ['a viewer', 'vera', checkoutTimeouts],
    ['an approver', 'alex', checkoutTimeouts],
    ['another team', 'ivan', checkoutTimeouts],
    ['a team touching a foreign namespace', 'priya', { ...sessionTtl, team: 'payments', version: '9' }],
    ['a principal with no role', 'mallory', checkoutTimeouts],
  ])('forbids %s to push', async (_label, as, bundle) => {
    const res = await api.call('POST', '/bundles', { as, body: bundle });
    expect(res.status).toBe(403);
    expect(res.json.detail.length).toBeGreaterThan(10);
  });

  it('lets the release manager push any team bundle', async () => {
    const res = await api.call('POST', '/bundles', { as: 'olivia', body: sessionTtl });
    expect(res.status).toBe(201);
  });

  it.each([
    ['malformed YAML', 'name: [unclosed', 400],
    ['malformed JSON', '{"name": "x",', 400],
    ['an unknown field', JSON.stringify({ ...checkoutTimeouts, version: '4', owner: 'me' }), 422],
    ['a wrong type', JSON.stringify({ ...checkoutTimeouts, version: '4', changes: 'all of them' }), 422],
    ['a hostile name', JSON.stringify({ ...checkoutTimeouts, name: '../../etc/passwd' }), 422],
    ['a NUL in a name', JSON.stringify({ ...checkoutTimeouts, name: 'a\u0000b' }), 422],
    ['a 10k-character name', JSON.stringify({ ...checkoutTimeouts, name: 'a'.repeat(10_000) }), 422],
    ['an empty body', '', 400],
  ])('rejects %s with a problem naming the field, writing nothing', async (_label, raw, status) => {
    const before = await api.table.dump();
    const res = await api.call('POST', '/bundles', {
      as: 'priya',
      raw,
      headers: { 'content-type': 'application/yaml' },
    });
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json.problems.length).toBeGreaterThan(0);
    expect(await api.table.dump()).toEqual(before);
  });

  it('names the unknown field and the rule', async () => {
    const res = await api.call('POST', '/bundles', {
      as: 'priya',
      body: { ...checkoutTimeouts, owner: 'me' },
    });
    expect(res.json.problems).toContainEqual(
      expect.objectContaining({ code: 'field.unknown', path: 'owner' }),
    );
  });

  it('refuses a 5 MB body with 413 before parsing it', async () => {
    const before = await api.table.dump();
    const res = await api.call('POST', '/bundles', {
      as: 'priya',
      raw: `name: ${'x'.repeat(5 * 1024 * 1024)}`,
    });
    expect(res.status).toBe(413);
    expect(res.json.code).toBe('payload-too-large');
    expect(await api.table.dump()).toEqual(before);
  });

  it.each([
    ['..%2Fetc', '3'],
    ['a%00b', '3'],
    ['x'.repeat(10_000), '3'],
    ['checkout-timeouts', '..%2F..'],
  ])('answers 400 for the hostile path name %#', async (name, version) => {
    const res = await api.call('GET', `/bundles/${name}/versions/${version}`);
    expect(res.status).toBe(400);
    expect(res.json.problems[0].path).toMatch(/^path\./);
  });

  it('lists bundles, filtered by release', async () => {
    const all = await api.call('GET', '/bundles', { as: 'vera' });
    expect(all.json.bundles.map((b: { name: string }) => b.name).sort()).toEqual([
      'checkout-timeouts',
      'identity-session',
    ]);
    const none = await api.call('GET', '/bundles?release=2027.01-R1');
    expect(none.json.bundles).toEqual([]);
    const bad = await api.call('GET', '/bundles?colour=red');
    expect(bad.status).toBe(400);
  });

  it('shows one bundle with its document, and 404 for an unknown one', async () => {
    const res = await api.call('GET', '/bundles/checkout-timeouts/versions/3');
    expect(res.json).toMatchObject({
      name: 'checkout-timeouts',
      team: 'payments',
      bundle: { release: '2026.12-R1' },
    });
    expect((await api.call('GET', '/bundles/nope/versions/1')).status).toBe(404);
  });

  it('validates a pushed bundle against an environment, returning every problem', async () => {
    const res = await api.call('POST', '/bundles/checkout-timeouts/versions/3/validate?env=prod-eu', {
      as: 'vera',
    });
    expect(res.status).toBe(200);
    expect(res.json.ok).toBe(false);
    expect(res.json.problems).toContainEqual(expect.objectContaining({ code: 'service.not-deployed' }));
    const offline = await api.call('POST', '/bundles/checkout-timeouts/versions/3/validate');
    expect(offline.json).toEqual({ ok: true, problems: [] });
    const unknownEnv = await api.call('POST', '/bundles/checkout-timeouts/versions/3/validate?env=moon');
    expect(unknownEnv.status).toBe(404);
  });
});
