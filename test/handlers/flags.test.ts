import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';
import { deployableFlags, flagCatalogDocument, flagsBundle, flagsNow } from '../support/flags.ts';

const golden = JSON.parse(readFileSync('test/fixtures/flags/ofrep/evaluations.json', 'utf8')) as {
  single: {
    name: string;
    flag: string;
    context: Record<string, unknown>;
    response: { status: number; body: unknown };
  }[];
  bulk: { context: Record<string, unknown>; response: { body: { flags: { key: string }[] } } }[];
};
const deployed = (key: string): boolean => Object.hasOwn(deployableFlags, key);
const base = '/environments/prod-eu';

describe('flag routes and OFREP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    const catalog = await api.call('PUT', '/catalog', { body: flagCatalogDocument() });
    expect(catalog.status, catalog.text).toBe(200);
    const pushed = await api.call('POST', '/bundles', { body: flagsBundle });
    expect(pushed.status, pushed.text).toBe(201);
    const deployment = await api.call('POST', `${base}/deployments`, {
      body: { bundle: 'checkout-flags@1' },
    });
    expect(deployment.status, deployment.text).toBe(201);
    api.clock.now = flagsNow;
  });

  it('serves the flag set of HEAD to viewers, with its ETag and 304 on If-None-Match', async () => {
    const res = await api.call('GET', `${base}/flags`, { as: 'vera' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.flags).sort()).toEqual(Object.keys(deployableFlags).sort());
    expect(Object.keys(res.json.segments).sort()).toEqual(['beta-testers', 'eu']);
    expect(res.headers.etag).toBe(res.json.etag);
    const again = await api.call('GET', `${base}/flags`, { headers: { 'if-none-match': res.json.etag } });
    expect([again.status, again.text]).toEqual([304, '']);
    const other = await api.call('GET', '/environments/dev/flags');
    expect([other.status, other.json.flags]).toEqual([200, {}]);
  });

  it('keeps flags out of the rendered configuration', async () => {
    const res = await api.call('GET', `${base}/config`);
    expect(res.text).not.toContain('checkout.static');
  });

  it('serves one flag, 404 for an unknown one, 400 naming a malformed key', async () => {
    const one = await api.call('GET', `${base}/flags/checkout.static`);
    expect(one.json).toMatchObject({ key: 'checkout.static', flag: { type: 'boolean', enabled: true } });
    const missing = await api.call('GET', `${base}/flags/checkout.nope`);
    expect([missing.status, missing.json.code]).toEqual([404, 'not-found']);
    const bad = await api.call('GET', `${base}/flags/NOPE`);
    expect([bad.status, bad.json.problems[0].path]).toEqual([400, 'path.key']);
  });

  it.each(golden.single.filter((c) => deployed(c.flag) || c.response.status === 404))(
    'OFREP single: $name',
    async ({ flag, context, response }) => {
      const res = await api.call('POST', `${base}/ofrep/v1/evaluate/flags/${flag}`, { body: { context } });
      expect({ status: res.status, body: res.json }).toEqual(response);
    },
  );

  it('OFREP bulk: the golden flags, the flag set ETag, and 304 while it holds', async () => {
    const { context, response } = golden.bulk[0]!;
    const res = await api.call('POST', `${base}/ofrep/v1/evaluate/flags`, { body: { context } });
    expect(res.status).toBe(200);
    expect(res.json.flags).toEqual(response.body.flags.filter((f) => deployed(f.key)));
    const set = await api.call('GET', `${base}/flags`);
    expect(res.headers.etag).toBe(set.json.etag);
    const cached = await api.call('POST', `${base}/ofrep/v1/evaluate/flags`, {
      body: { context },
      headers: { 'if-none-match': res.headers.etag! },
    });
    expect([cached.status, cached.text]).toEqual([304, '']);
  });

  it.each([
    ['no context', {}, 'body.context'],
    ['a context that is not an object', { context: 'x' }, 'body.context'],
    ['a targeting key that is not a string', { context: { targetingKey: 1 } }, 'body.context.targetingKey'],
  ])(
    'OFREP answers %s with 400 problem+json naming the field and an OFREP error code',
    async (_l, body, path) => {
      for (const url of [
        `${base}/ofrep/v1/evaluate/flags/checkout.static`,
        `${base}/ofrep/v1/evaluate/flags`,
      ]) {
        const res = await api.call('POST', url, { body });
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toBe('application/problem+json');
        expect(res.json).toMatchObject({ errorCode: 'INVALID_CONTEXT', problems: [{ path }] });
      }
    },
  );

  it('refuses callers without a role and unknown environments', async () => {
    const anonymous = await api.call('POST', `${base}/ofrep/v1/evaluate/flags`, {
      body: { context: {} },
      as: 'nobody',
    });
    expect(anonymous.status).toBe(403);
    const unknown = await api.call('GET', '/environments/mars/flags');
    expect(unknown.status).toBe(404);
  });

  it('patches a live flag through a bundle and serves the change with a new ETag', async () => {
    const before = await api.call('GET', `${base}/flags`);
    const patch = {
      ...flagsBundle,
      name: 'checkout-flags-off',
      release: '2026.12-R2',
      changes: [{ flag: 'checkout.static', disable: true }],
    };
    expect((await api.call('POST', '/bundles', { body: patch })).status).toBe(201);
    const deployment = await api.call('POST', `${base}/deployments`, {
      body: { bundle: 'checkout-flags-off@1' },
    });
    expect(deployment.status, deployment.text).toBe(201);
    const after = await api.call('GET', `${base}/flags`, { headers: { 'if-none-match': before.json.etag } });
    expect(after.status).toBe(200);
    expect(after.json.flags['checkout.static'].enabled).toBe(false);
    const res = await api.call('POST', `${base}/ofrep/v1/evaluate/flags/checkout.static`, {
      body: { context: {} },
    });
    expect(res.json).toMatchObject({ reason: 'DISABLED', value: false });
  });
});
