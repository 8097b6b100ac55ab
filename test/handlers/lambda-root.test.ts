import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '#functions/api/health.ts';
import { depsFromEnvironment } from '#functions/shared/lambda-deps.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

const LAMBDA_ENV = ['CONVOY_DYNAMODB_ENDPOINT', 'CONVOY_TABLE_NAME'] as const;

const healthEvent = {
  version: '2.0',
  routeKey: 'GET /health',
  rawPath: '/health',
  rawQueryString: '',
  headers: {},
  isBase64Encoded: false,
  requestContext: { http: { method: 'GET', path: '/health' }, requestId: 'r1', routeKey: 'GET /health' },
} as unknown as APIGatewayProxyEventV2;

/** The Lambda composition root: a handler module's `handler` export, as CDK deploys it. */
describe('the Lambda root', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
  });
  afterAll(async () => {
    for (const name of LAMBDA_ENV) Reflect.deleteProperty(process.env, name);
    await api.table.drop();
  });

  it('builds the deps from the environment on the first invocation, once per cold start', async () => {
    // The module was imported above, before this environment existed: importing built nothing.
    process.env.CONVOY_DYNAMODB_ENDPOINT = api.table.endpoint;
    process.env.CONVOY_TABLE_NAME = api.table.tableName;
    const first = await handler(healthEvent, {} as Context);
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(first.body ?? '{}')).toMatchObject({ status: 'ok', catalogVersion: 1 });
    // A warm container keeps what its cold start built.
    process.env.CONVOY_TABLE_NAME = 'no-such-table';
    const again = await handler(healthEvent, {} as Context);
    expect(JSON.parse(again.body ?? '{}')).toMatchObject({ status: 'ok', catalogVersion: 1 });
  });

  it('configures only what the environment names, with fail-loud stand-ins for the rest', async () => {
    const bare = depsFromEnvironment({});
    await expect(bare.events.publish([])).rejects.toMatchObject({ code: 'unavailable' });
    expect(bare.checkpoints).toBeUndefined();
    const signed = depsFromEnvironment({
      CONVOY_CHECKPOINT_BUCKET: 'convoy-checkpoints',
      CONVOY_CHECKPOINT_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/1',
    });
    expect(signed.checkpoints).toBeDefined();
  });
});
