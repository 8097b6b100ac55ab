import { request } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer, type Readiness } from '#local/api-server.ts';
import { moduleHandlerLoader, type HandlerLoader } from '#local/lambda-runtime.ts';
import { createConvoyStore } from '#store/convoy-store.ts';
import { testDeps } from '../support/deps.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import { fixtureCatalogYaml } from '../support/api.ts';

/** The embedded API Gateway: request → payload v2 event → the real handlers → response. */
describe('local API server', () => {
  let table: TestTable;
  let server: ApiServer;
  let readiness: Readiness = { ready: true };
  const seen: APIGatewayProxyEventV2[] = [];

  beforeAll(async () => {
    table = await createTestTable('e2e-api');
    const deps = testDeps({ store: createConvoyStore({ doc: table.doc, tableName: table.tableName }) });
    const real = moduleHandlerLoader(() => deps);
    const recording: HandlerLoader = async (group) => {
      const handler = await real(group);
      return (event, context) => {
        seen.push(event);
        return handler(event, context);
      };
    };
    server = await startApiServer({ port: 0, loadHandler: recording, readiness: () => readiness });
  });

  afterAll(async () => {
    await server.close();
    await table.drop();
  });

  const call = (path: string, init: RequestInit & { as?: string } = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: {
        ...(init.as ? { 'x-convoy-principal': init.as } : {}),
        ...(init.headers as Record<string, string>),
      },
    });

  it('applies a catalog through a handler and hands it the event API Gateway would', async () => {
    const put = await call('/catalog', {
      method: 'PUT',
      as: 'olivia',
      body: fixtureCatalogYaml,
      headers: { 'Content-Type': 'application/yaml', 'X-Custom': 'A' },
    });
    expect(put.status).toBe(200);
    const event = seen.at(-1)!;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'PUT /catalog',
      rawPath: '/catalog',
      rawQueryString: '',
      isBase64Encoded: false,
      body: fixtureCatalogYaml,
      headers: { 'content-type': 'application/yaml', 'x-custom': 'A', 'x-convoy-principal': 'olivia' },
      requestContext: {
        http: { method: 'PUT', path: '/catalog' },
        routeKey: 'PUT /catalog',
        stage: '$default',
        authorizer: { iam: { userArn: 'olivia' } },
      },
    });
    expect(event.requestContext.requestId).toEqual(expect.any(String));
    expect(event.requestContext.timeEpoch).toEqual(expect.any(Number));
    expect(put.headers.get('apigw-requestid')).toBe(event.requestContext.requestId);
  });

  it('decodes path parameters and query strings', async () => {
    const response = await call('/bundles/no-such/versions/1.0?release=2026.12-R1&x=a%20b', { as: 'vera' });
    expect(response.status).toBe(404);
    expect(seen.at(-1)).toMatchObject({
      routeKey: 'GET /bundles/{name}/versions/{version}',
      pathParameters: { name: 'no-such', version: '1.0' },
      rawQueryString: 'release=2026.12-R1&x=a%20b',
      queryStringParameters: { release: '2026.12-R1', x: 'a b' },
    });
  });

  it('answers unknown paths 404 and wrong methods 405 with Allow, as problem+json', async () => {
    const missing = await call('/nope', { as: 'olivia' });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(await missing.json()).toMatchObject({ status: 404, code: 'not-found' });

    const wrong = await call('/catalog', { method: 'DELETE', as: 'olivia' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, PUT');
    expect(await wrong.json()).toMatchObject({ status: 405 });
  });

  it('plays the IAM authorizer: no principal is 401, except GET /health', async () => {
    const anonymous = await call('/catalog');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      status: 401,
      code: 'unauthenticated',
      detail: expect.stringContaining('x-convoy-principal'),
    });
    expect((await call('/health')).status).toBe(200);
  });

  it('refuses malformed percent-encoding with 400', async () => {
    for (const path of ['/bundles/%E0%A4%A/versions/1', '/audit?env=%ZZ']) {
      const response = await call(path, { as: 'olivia' });
      expect(response.status, path).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'bad-request' });
    }
  });

  it('refuses bodies over 6 MB with 413, declared or streamed', async () => {
    const before = await table.dump();
    const declared = await call('/bundles', {
      method: 'POST',
      as: 'olivia',
      body: 'x'.repeat(7 * 1024 * 1024),
      headers: { 'content-type': 'application/json' },
    });
    expect(declared.status).toBe(413);

    const streamed = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${server.url}/bundles`);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'x-convoy-principal': 'olivia' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      for (let i = 0; i < 7; i += 1) req.write(chunk);
      req.end();
    });
    expect(streamed).toBe(413);

    const handlerLimit = await call('/bundles', {
      method: 'POST',
      as: 'olivia',
      body: 'x'.repeat(5 * 1024 * 1024),
      headers: { 'content-type': 'application/json' },
    });
    expect(handlerLimit.status).toBe(413);
    expect(await table.dump()).toEqual(before);
  });

  it('reports readiness on GET /health: 503 while starting, then the handler answer with the runtime', async () => {
    readiness = { ready: false, accepting: false, phase: 'starting DynamoDB Local' };
    const early = await call('/catalog', { as: 'olivia' });
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('1');
    expect(await early.json()).toMatchObject({
      code: 'unavailable',
      detail: expect.stringContaining('starting'),
    });

    readiness = { ready: false, accepting: true, phase: 'seeding the demo' };
    const starting = await call('/health');
    expect(starting.status).toBe(503);
    expect(await starting.json()).toMatchObject({
      status: 'starting',
      runtime: { ready: false, phase: 'seeding the demo' },
    });
    readiness = { ready: true, phase: 'ready' };
    const ready = await call('/health');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', runtime: { ready: true } });
  });
});
