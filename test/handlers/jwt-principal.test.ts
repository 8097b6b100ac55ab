import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConvoyError } from '#domain/core/errors.ts';
import { principalOf } from '#functions/shared/request.ts';
import { toApiEvent } from '#local/api-event.ts';
import { checkoutTimeouts } from '../fixtures/bundles.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

type Claims = Record<string, string>;

/** An event as the dashboard API delivers it: API Gateway's JWT authorizer accepted a Cognito token. */
const jwtEvent = (method: string, url: string, claims: Claims, body?: unknown): APIGatewayProxyEventV2 => {
  const match = toApiEvent({
    method,
    url,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (match.kind !== 'route') throw new Error(`no route for ${method} ${url}`);
  const event = match.event;
  const authorizer = {
    jwt: { claims: { iss: 'https://cognito-idp.example', sub: 'u-1', ...claims }, scopes: null },
  };
  return { ...event, requestContext: { ...event.requestContext, authorizer } } as APIGatewayProxyEventV2;
};

const iamEvent = (userArn: string): APIGatewayProxyEventV2 => {
  const match = toApiEvent({ method: 'GET', url: '/catalog', headers: {}, principal: userArn });
  if (match.kind !== 'route') throw new Error('no route');
  return match.event;
};

describe('principalOf: IAM callers and dashboard users (Cognito JWT)', () => {
  it('takes the IAM caller from the IAM authorizer', () => {
    expect(principalOf(iamEvent('arn:aws:iam::111122223333:role/ci'))).toBe(
      'arn:aws:iam::111122223333:role/ci',
    );
  });

  it('takes a JWT caller from custom:principal, before the user name', () => {
    expect(
      principalOf(jwtEvent('GET', '/catalog', { 'custom:principal': 'olivia', 'cognito:username': 'o.s' })),
    ).toBe('olivia');
  });

  it('falls back to cognito:username when custom:principal is absent or blank', () => {
    expect(principalOf(jwtEvent('GET', '/catalog', { 'cognito:username': 'vera' }))).toBe('vera');
    expect(
      principalOf(jwtEvent('GET', '/catalog', { 'custom:principal': ' ', 'cognito:username': 'vera' })),
    ).toBe('vera');
  });

  it('refuses a JWT that names no principal, and a request with no authorizer', () => {
    const refused = (event: APIGatewayProxyEventV2) => {
      try {
        principalOf(event);
      } catch (error) {
        return error;
      }
      throw new Error('not refused');
    };
    const noClaim = refused(jwtEvent('GET', '/catalog', { email: 'olivia@example.com' }));
    expect(noClaim).toBeInstanceOf(ConvoyError);
    expect(noClaim).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/custom:principal/) });
    const match = toApiEvent({ method: 'GET', url: '/catalog', headers: {} });
    if (match.kind !== 'route') throw new Error('no route');
    const noUser = { ...match.event.requestContext, authorizer: { iam: { userArn: null } } };
    expect(refused({ ...match.event, requestContext: noUser })).toMatchObject({
      code: 'forbidden',
    });
    expect(refused(match.event)).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/no authenticated/),
    });
  });
});

describe('the API handlers behind the JWT authorizer', () => {
  let api: TestApi;
  const context = {} as Context;
  const bundle = { ...checkoutTimeouts, requires: [] };
  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
  });
  afterAll(async () => {
    await api.table.drop();
  });

  it('acts as the catalog principal the token names: roles come from the catalog', async () => {
    const viewer = await api.handlers.bundles(
      jwtEvent('POST', '/bundles', { 'cognito:username': 'vera' }, bundle),
      context,
    );
    expect(viewer.statusCode).toBe(403);
    const read = await api.handlers.catalog(
      jwtEvent('GET', '/catalog', { 'cognito:username': 'vera' }),
      context,
    );
    expect(read.statusCode).toBe(200);
    const manager = await api.handlers.bundles(
      jwtEvent('POST', '/bundles', { 'custom:principal': 'olivia', 'cognito:username': 'o.smith' }, bundle),
      context,
    );
    expect(manager.statusCode).toBe(201);
    const audit = await api.call('GET', '/audit?limit=1');
    expect(JSON.stringify(audit.json)).toContain('olivia');
  });

  it('answers a token with no usable claim with a 403 problem, writing nothing', async () => {
    const before = await api.table.dump();
    const res = await api.handlers.bundles(
      jwtEvent('POST', '/bundles', { email: 'someone@example.com' }, { ...bundle, version: 99 }),
      context,
    );
    expect(res.statusCode).toBe(403);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    const problem = JSON.parse(res.body ?? '{}') as { code?: string; detail?: string };
    expect(problem.code).toBe('forbidden');
    expect(problem.detail).toMatch(/custom:principal nor cognito:username/);
    expect(await api.table.dump()).toEqual(before);
  });
});
