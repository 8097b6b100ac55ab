import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '#app/deps.ts';
import { ConvoyError } from '#domain/core/errors.ts';
import { toApiEvent } from '#local/api-event.ts';
import { apiHandler } from '../../functions/shared/api-handler.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

const context = { functionName: 'convoy-test', awsRequestId: 'test' } as Context;

/** A route group answering with canned results, called through middy with API Gateway v2 events. */
const handler = apiHandler({
  'GET /catalog': () => Promise.resolve({ status: 200, headers: { etag: '"v7"' }, body: { catalog: {} } }),
  'GET /audit': () => Promise.resolve({ status: 200, body: { events: [] } }),
  'GET /bundles': () => Promise.reject(new ConvoyError('not-found', 'No bundles here.')),
  'PUT /catalog': () => Promise.resolve({ status: 200, headers: { etag: '"v7"' }, body: { saved: true } }),
  'POST /bundles': () => Promise.resolve({ status: 201, headers: { etag: '"v7"' }, body: { created: true } }),
})({} as Deps);

const call = async (method: string, url: string, headers: Record<string, string> = {}) => {
  const match = toApiEvent({
    method,
    url,
    headers,
    principal: 'olivia',
    body: method === 'GET' ? undefined : '{}',
  });
  if (match.kind !== 'route') throw new Error(`no route ${method} ${url}`);
  return handler(match.event, context);
};

describe('conditional GET: 304 Not Modified from one place (functions/shared/api-handler.ts)', () => {
  it('answers 304 with no body and the same ETag when If-None-Match holds it', async () => {
    for (const tag of ['"v7"', 'W/"v7"', '"v6", "v7"', '*']) {
      const res = await call('GET', '/catalog', { 'if-none-match': tag });
      expect([tag, res.statusCode, res.body, res.headers]).toEqual([tag, 304, undefined, { etag: '"v7"' }]);
    }
  });

  it('answers 200 with the body otherwise: another ETag, none sent, no ETag, writes, errors', async () => {
    const other = await call('GET', '/catalog', { 'if-none-match': '"v6"' });
    expect([other.statusCode, JSON.parse(other.body ?? '')]).toEqual([200, { catalog: {} }]);
    expect((await call('GET', '/catalog')).statusCode).toBe(200);
    expect((await call('GET', '/audit', { 'if-none-match': '*' })).statusCode).toBe(200);
    expect((await call('PUT', '/catalog', { 'if-none-match': '"v7"' })).statusCode).toBe(200);
    expect((await call('POST', '/bundles', { 'if-none-match': '"v7"' })).statusCode).toBe(201);
    const failed = await call('GET', '/bundles', { 'if-none-match': '*' });
    expect([failed.statusCode, failed.headers?.['content-type']]).toEqual([404, 'application/problem+json']);
  });

  describe('on real routes (DynamoDB Local)', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await createTestApi();
      await api.seedCatalog();
    });

    it('GET /catalog and an environment’s flag set answer 304 to their own ETag, keeping the other headers', async () => {
      const catalog = await api.call('GET', '/catalog');
      expect(catalog.headers.etag).toMatch(/^"/);
      const again = await api.call('GET', '/catalog', {
        headers: { 'if-none-match': catalog.headers.etag ?? '' },
      });
      expect([again.status, again.text, again.headers.etag]).toEqual([304, '', catalog.headers.etag]);
      const flags = await api.call('GET', '/environments/dev/flags');
      const polled = await api.call('GET', '/environments/dev/flags', {
        headers: { 'if-none-match': flags.headers.etag ?? '' },
      });
      expect([polled.status, polled.text]).toEqual([304, '']);
      expect(polled.headers).toEqual({
        etag: flags.headers.etag,
        'x-convoy-head-version': flags.headers['x-convoy-head-version'],
      });
    });
  });
});
