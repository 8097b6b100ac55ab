import { readFileSync } from 'node:fs';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature, type Client, type EvaluationDetails, type JsonValue } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRINCIPAL_HEADER } from '#api/client.ts';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { deployableFlags, flagCatalogDocument, flagsBundle, flagsNow } from '../../support/flags.ts';

/**
 * The official OpenFeature OFREP provider for JavaScript servers (@openfeature/ofrep-provider), with
 * no Convoy code, against the embedded API (DynamoDB Local): base URL `<api>/environments/<env>`.
 * The cases are the golden OFREP fixture (test/fixtures/flags/ofrep/evaluations.json) that the unit
 * and HTTP tests read too.
 */
type Body = { value?: unknown; variant?: string; reason?: string; errorCode?: string };
const golden = JSON.parse(readFileSync('test/fixtures/flags/ofrep/evaluations.json', 'utf8')) as {
  single: { flag: string; context: Record<string, unknown>; response: { status: number; body: Body } }[];
};
const cases = golden.single.filter(
  (c) => Object.hasOwn(deployableFlags, c.flag) || c.response.status === 404,
);

/** The typed call an application would make for the flag's type, with a default of that type. */
const typed = (
  client: Client,
  flag: string,
  context: Record<string, unknown>,
): Promise<EvaluationDetails<JsonValue>> => {
  const type = deployableFlags[flag]?.type ?? 'boolean';
  const ctx = context as Record<string, string>;
  if (type === 'boolean') return client.getBooleanDetails(flag, false, ctx);
  if (type === 'string') return client.getStringDetails(flag, 'fallback', ctx);
  if (type === 'number') return client.getNumberDetails(flag, -1, ctx);
  return client.getObjectDetails(flag, { fallback: true }, ctx);
};
const fallbackOf = (flag: string): unknown =>
  ({ boolean: false, string: 'fallback', number: -1, json: { fallback: true } })[
    deployableFlags[flag]?.type ?? 'boolean'
  ];

describe('the official OFREP provider reads Convoy flags', () => {
  let api: TestApi;
  let server: ApiServer;
  let client: Client;

  beforeAll(async () => {
    api = await createTestApi();
    server = await startApiServer({ port: 0, deps: () => api.deps });
    expect((await api.call('PUT', '/catalog', { body: flagCatalogDocument() })).status).toBe(200);
    expect((await api.call('POST', '/bundles', { body: flagsBundle })).status).toBe(201);
    const deployed = await api.call('POST', '/environments/staging/deployments', {
      body: { bundle: 'checkout-flags@1' },
    });
    expect(deployed.status, deployed.text).toBe(201);
    api.clock.now = flagsNow;
    await OpenFeature.setProviderAndWait(
      'convoy-ofrep',
      new OFREPProvider({
        baseUrl: `${server.url}/environments/staging`,
        headers: [[PRINCIPAL_HEADER, 'olivia']],
      }),
    );
    client = OpenFeature.getClient('convoy-ofrep');
  });
  afterAll(async () => {
    await OpenFeature.close();
    await server.close();
    await api.table.drop();
  });

  it('answers every golden case: boolean, string, number and object flags, targeting, splits, disabled', async () => {
    expect(cases.length).toBeGreaterThan(40);
    const reasons = new Set<string>();
    for (const { flag, context, response } of cases) {
      const details = await typed(client, flag, context);
      const label = `${flag} ${JSON.stringify(context)}`;
      if (response.status === 200) {
        expect(
          {
            value: details.value,
            variant: details.variant,
            reason: details.reason,
            error: details.errorCode,
          },
          label,
        ).toEqual({
          value: response.body.value,
          variant: response.body.variant,
          reason: response.body.reason,
          error: undefined,
        });
        reasons.add(String(details.reason));
      } else {
        expect({ value: details.value, error: details.errorCode, reason: details.reason }, label).toEqual({
          value: fallbackOf(flag),
          error: response.body.errorCode,
          reason: 'ERROR',
        });
        reasons.add(String(details.errorCode));
      }
    }
    expect([...reasons].sort()).toEqual(
      [
        'DISABLED',
        'FLAG_NOT_FOUND',
        'SPLIT',
        'STATIC',
        'TARGETING_KEY_MISSING',
        'TARGETING_MATCH',
        'UNKNOWN',
      ].sort(),
    );
  });

  it('a missing flag is FLAG_NOT_FOUND and serves the default', async () => {
    const details = await client.getBooleanDetails('checkout.nope', true);
    expect(details).toMatchObject({ value: true, errorCode: 'FLAG_NOT_FOUND', reason: 'ERROR' });
  });

  it('a type mismatch is TYPE_MISMATCH and serves the default', async () => {
    const details = await client.getNumberDetails('checkout.static', 7);
    expect(details).toMatchObject({ value: 7, errorCode: 'TYPE_MISMATCH', reason: 'ERROR' });
  });

  it('an object flag arrives as the JSON value', async () => {
    const details = await client.getObjectDetails('checkout.theme', {}, { email: 'ada@convoy.dev' });
    expect(details).toMatchObject({
      value: { color: 'green', radius: 4 },
      variant: 'new',
      reason: 'TARGETING_MATCH',
    });
  });
});
