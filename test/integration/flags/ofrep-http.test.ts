import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PRINCIPAL_HEADER } from '#api/client.ts';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { deployableFlags, flagCatalogDocument, flagsBundle, flagsNow } from '../../support/flags.ts';

/**
 * A bundle setting flags, pushed and deployed over HTTP through the embedded API (DynamoDB Local),
 * then read as an application would: GET /flags and OFREP single and bulk, each answer validated
 * against the OFREP OpenAPI document (no OFREP provider package is installed here).
 */
const golden = JSON.parse(readFileSync('test/fixtures/flags/ofrep/evaluations.json', 'utf8')) as {
  single: { flag: string; context: Record<string, unknown>; response: { status: number; body: unknown } }[];
  bulk: { context: Record<string, unknown>; response: { body: { flags: { key: string }[] } } }[];
};

// The same reading of the vendored document as test/unit/api/flags/ofrep.test.ts: the value `oneOf`
// cannot hold for any body, so it is an `anyOf` without codeDefaultFlag.
const openapi = parse(readFileSync('test/fixtures/flags/ofrep/openapi.yaml', 'utf8')) as {
  components: { schemas: Record<string, { allOf: Record<string, unknown>[] }> };
};
const valueOf = openapi.components.schemas['evaluationSuccess']!.allOf[1]!;
valueOf['anyOf'] = (valueOf['oneOf'] as { $ref: string }[]).filter(
  (s) => !s.$ref.endsWith('/codeDefaultFlag'),
);
delete valueOf['oneOf'];
const ajv = new Ajv2020({ strict: false, validateFormats: false });
ajv.addSchema(openapi, 'ofrep');
const schema = (name: string) => ajv.getSchema(`ofrep#/components/schemas/${name}`)!;
const singleSchema = {
  200: 'serverEvaluationSuccess',
  400: 'evaluationFailure',
  404: 'flagNotFound',
} as Record<number, string>;

describe('flags through the embedded API', () => {
  let api: TestApi;
  let server: ApiServer;
  const http = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { [PRINCIPAL_HEADER]: 'olivia', 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, etag: res.headers.get('etag'), json: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    api = await createTestApi();
    server = await startApiServer({ port: 0, deps: () => api.deps });
    expect((await http('PUT', '/catalog', flagCatalogDocument())).status).toBe(200);
    expect((await http('POST', '/bundles', flagsBundle)).status).toBe(201);
    const deployed = await http('POST', '/environments/staging/deployments', { bundle: 'checkout-flags@1' });
    expect(deployed.status, JSON.stringify(deployed.json)).toBe(201);
    api.clock.now = flagsNow;
  });
  afterAll(async () => {
    await server.close();
    await api.table.drop();
  });

  it('serves the deployed flag set, 304 for its ETag', async () => {
    const set = await http('GET', '/environments/staging/flags');
    expect(Object.keys(set.json.flags).sort()).toEqual(Object.keys(deployableFlags).sort());
    expect(set.etag).toBe(set.json.etag);
    const again = await http('GET', '/environments/staging/flags', undefined, { 'if-none-match': set.etag! });
    expect(again.status).toBe(304);
  });

  it('evaluates every golden single case as OFREP defines the answer', async () => {
    const cases = golden.single.filter(
      (c) => Object.hasOwn(deployableFlags, c.flag) || c.response.status === 404,
    );
    expect(cases.length).toBeGreaterThan(40);
    for (const { flag, context, response } of cases) {
      const res = await http('POST', `/environments/staging/ofrep/v1/evaluate/flags/${flag}`, { context });
      expect({ status: res.status, body: res.json }, flag).toEqual(response);
      const validate = schema(singleSchema[res.status]!);
      expect(validate(res.json), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('evaluates in bulk with the flag set ETag, and answers 304 while it holds', async () => {
    const { context, response } = golden.bulk[0]!;
    const res = await http('POST', '/environments/staging/ofrep/v1/evaluate/flags', { context });
    expect(res.status).toBe(200);
    expect(res.json.flags).toEqual(response.body.flags.filter((f) => Object.hasOwn(deployableFlags, f.key)));
    const validate = schema('bulkEvaluationSuccess');
    expect(validate(res.json), JSON.stringify(validate.errors)).toBe(true);
    const cached = await http(
      'POST',
      '/environments/staging/ofrep/v1/evaluate/flags',
      { context },
      {
        'if-none-match': res.etag!,
      },
    );
    expect(cached.status).toBe(304);
  });

  it('answers a malformed context with 400 carrying an OFREP error code', async () => {
    const res = await http('POST', '/environments/staging/ofrep/v1/evaluate/flags', { context: [] });
    expect(res.status).toBe(400);
    expect(
      schema('bulkEvaluationFailure')({ errorCode: res.json.errorCode, errorDetails: res.json.errorDetails }),
    ).toBe(true);
  });
});
