import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { make as makeDeployments } from '#functions/api/deployments.ts';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import { checkoutTimeouts } from '../fixtures/bundles.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

// Each step of a request, counted: the route matcher, the strict body decoder, the document parser.
const counted = vi.hoisted(() => ({ matchRoute: 0, strictBodyText: 0, parseDocument: 0 }));

vi.mock('#api/routes.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('#api/routes.ts')>();
  return {
    ...actual,
    matchRoute: (...args: Parameters<typeof actual.matchRoute>) => {
      counted.matchRoute += 1;
      return actual.matchRoute(...args);
    },
  };
});
vi.mock('#functions/shared/body-text.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('#functions/shared/body-text.ts')>();
  return {
    strictBodyText: (...args: Parameters<typeof actual.strictBodyText>) => {
      counted.strictBodyText += 1;
      return actual.strictBodyText(...args);
    },
  };
});
vi.mock('#domain/core/document.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('#domain/core/document.ts')>();
  return {
    ...actual,
    parseDocument: (...args: Parameters<typeof actual.parseDocument>) => {
      counted.parseDocument += 1;
      return actual.parseDocument(...args);
    },
  };
});

/** What API Gateway (HTTP API, payload v2, IAM auth) delivers for a deploy: it matched the route. */
const deployEvent = (env: string, body: unknown): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /environments/{env}/deployments',
    rawPath: `/environments/${env}/deployments`,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: 'abc123.execute-api.eu-west-1.amazonaws.com' },
    pathParameters: { env },
    body: Buffer.from(JSON.stringify(body)).toString('base64'),
    isBase64Encoded: true,
    requestContext: {
      accountId: '111122223333',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: 'POST',
        path: `/environments/${env}/deployments`,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'convoy-cli',
      },
      requestId: 'Jx1kQ0abcdEFg=',
      routeKey: 'POST /environments/{env}/deployments',
      stage: '$default',
      time: '23/Nov/2026:10:00:00 +0000',
      timeEpoch: 1_795_428_000_000,
      authorizer: { iam: { userArn: 'olivia', accountId: '111122223333', callerId: 'olivia' } },
    },
  }) as unknown as APIGatewayProxyEventV2;

const reset = (): void => {
  counted.matchRoute = 0;
  counted.strictBodyText = 0;
  counted.parseDocument = 0;
};

describe('one pass per request (issue 9, item 8)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
    const pushed = await api.call('POST', '/bundles', { body: { ...checkoutTimeouts, requires: [] } });
    expect(pushed.status).toBe(201);
  });
  afterAll(async () => {
    await api.table.drop();
  });
  beforeEach(reset);

  it('on Lambda: the route comes with the event, the body is decoded once and parsed once', async () => {
    const deployments = makeDeployments(api.deps);
    const res = await deployments(deployEvent('dev', { bundle: 'checkout-timeouts@3' }), {} as Context);
    expect(res.statusCode).toBe(201);
    expect(counted).toEqual({ matchRoute: 0, strictBodyText: 1, parseDocument: 1 });
  });

  it('a refused body is decoded once and never parsed', async () => {
    const deployments = makeDeployments(api.deps);
    const event = { ...deployEvent('dev', {}), body: Buffer.from([0x7b, 0xe9, 0x7d]).toString('base64') };
    const res = await deployments(event, {} as Context);
    expect(res.statusCode).toBe(400);
    expect(counted).toEqual({ matchRoute: 0, strictBodyText: 1, parseDocument: 0 });
  });

  describe('through the embedded server', () => {
    let server: ApiServer;
    beforeAll(async () => {
      server = await startApiServer({ port: 0, deps: () => api.deps });
    });
    afterAll(async () => {
      await server.close();
    });

    it('matches the route once, and the handler decodes and parses the body once', async () => {
      // The module loads (and the handler is made) before counting: that is a cold start, not a request.
      await fetch(`${server.url}/environments/staging/deployments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-convoy-principal': 'olivia' },
        body: '{}',
      });
      reset();
      const res = await fetch(`${server.url}/environments/staging/deployments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-convoy-principal': 'olivia' },
        body: JSON.stringify({ bundle: 'checkout-timeouts@3' }),
      });
      expect(res.status).toBe(201);
      expect(counted).toEqual({ matchRoute: 1, strictBodyText: 1, parseDocument: 1 });
    });
  });
});
