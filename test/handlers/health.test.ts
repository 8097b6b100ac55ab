import { beforeAll, describe, expect, it } from 'vitest';
import { ConvoyError } from '#domain/core/errors.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

describe('health route and error mapping', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
  });

  it('is ready when the table answers', async () => {
    const res = await api.call('GET', '/health', { as: null });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok', catalogVersion: null, now: '2026-11-23T10:00:00.000Z' });
  });

  it("tells the server's clock, which the CLI reads as now", async () => {
    api.clock.now = new Date('2026-12-19T11:00:00.000Z');
    expect((await api.call('GET', '/health', { as: null })).json.now).toBe('2026-12-19T11:00:00.000Z');
  });

  it.each([
    [
      'an unexpected error',
      new Error('secret table arn:aws:dynamodb:eu-west-1:123:table/convoy'),
      500,
      'internal',
    ],
    [
      'an unavailable dependency',
      new ConvoyError('unavailable', 'ThrottlingException on arn:aws:dynamodb:x', {
        cause: new Error('boom'),
      }),
      503,
      'unavailable',
    ],
  ])('answers %s with a generic problem that leaks nothing', async (_label, error, status, code) => {
    Object.assign(api.deps, {
      store: {
        ...api.store,
        catalogs: { ...api.store.catalogs, getCatalog: () => Promise.reject(error) },
      },
    });
    const res = await api.call('GET', '/health');
    expect(res.status).toBe(status);
    expect(res.json).toMatchObject({ code, status });
    expect(res.text).not.toMatch(/arn:aws|secret|Throttling|boom/);
    Object.assign(api.deps, { store: api.store });
  });
});
