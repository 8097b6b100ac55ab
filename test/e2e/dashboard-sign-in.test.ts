import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, type DashboardFile } from '../../lib/dashboard/bundle.ts';

/**
 * The page as the AWS deployment builds it (index.html naming /config.json), in real Chromium, against
 * a stand-in of the two things CloudFront puts in front of it: the Cognito hosted UI's authorize and
 * token endpoints (checking the PKCE verifier against its challenge) and the `/api` behaviour (checking
 * the bearer token). The catalog principal comes from the ID token's custom:principal.
 */
const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const idToken = (claims: Record<string, unknown>) =>
  [base64url(JSON.stringify({ alg: 'none' })), base64url(JSON.stringify(claims)), 'sig'].join('.');

const bodyOf = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

let server: Server;
let origin: string;
let browser: Browser;
const seen = {
  authorize: [] as URLSearchParams[],
  token: [] as URLSearchParams[],
  api: [] as Record<string, string | undefined>[],
};

beforeAll(async () => {
  const files = new Map<string, DashboardFile>(
    (await buildDashboard({ configPath: '/config.json' })).map((file) => [file.path, file]),
  );
  let challenge = '';
  server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      const file = files.get(url.pathname);
      if (file) {
        res.writeHead(200, { 'content-type': file.type }).end(file.body);
      } else if (url.pathname === '/config.json') {
        const auth = {
          domain: `${origin}/cognito`,
          clientId: 'client-1',
          scopes: ['openid', 'email', 'profile'],
        };
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ apiBase: '/api', auth }));
      } else if (url.pathname === '/cognito/oauth2/authorize') {
        seen.authorize.push(url.searchParams);
        challenge = url.searchParams.get('code_challenge') ?? '';
        const back = new URL(url.searchParams.get('redirect_uri') ?? '/');
        back.search = new URLSearchParams({
          code: 'the-code',
          state: url.searchParams.get('state') ?? '',
        }).toString();
        res.writeHead(302, { location: back.toString() }).end();
      } else if (url.pathname === '/cognito/oauth2/token' && req.method === 'POST') {
        const form = new URLSearchParams(await bodyOf(req));
        seen.token.push(form);
        const verified =
          base64url(
            createHash('sha256')
              .update(form.get('code_verifier') ?? '')
              .digest(),
          ) === challenge;
        if (!verified || form.get('code') !== 'the-code') {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
          return;
        }
        const exp = Math.floor(Date.now() / 1000) + 3600;
        const claims = { 'custom:principal': 'olivia', 'cognito:username': 'o.smith', exp };
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id_token: idToken(claims) }));
      } else if (url.pathname.startsWith('/api/')) {
        seen.api.push({
          path: url.pathname,
          authorization: req.headers.authorization,
          principal: req.headers['x-convoy-principal'] as string | undefined,
        });
        if (url.pathname === '/api/catalog') {
          const catalog = { roles: [{ principal: 'olivia', roles: ['release-manager'] }], environments: [] };
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ catalog }));
        } else {
          res.writeHead(404, { 'content-type': 'application/problem+json' });
          res.end(JSON.stringify({ status: 404, code: 'not-found', detail: `No ${url.pathname} here.` }));
        }
      } else {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
});

afterAll(async () => {
  await browser.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('dashboard on AWS: Cognito sign-in instead of the principal picker', () => {
  it('signs in with the authorization code and PKCE, then calls /api with the ID token', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/#/audit`);
    await page.getByText('Signed in as').waitFor();
    expect(await page.locator('header .picker strong').innerText()).toBe('olivia');
    expect(await page.getByLabel('Acting as').count()).toBe(0);
    // Back where the person started, with no code left in the address bar.
    expect(new URL(page.url()).search).toBe('');
    expect(new URL(page.url()).hash).toBe('#/audit');

    const [authorize] = seen.authorize;
    expect(Object.fromEntries(authorize ?? [])).toMatchObject({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: `${origin}/`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    expect(Object.fromEntries(seen.token[0] ?? [])).toMatchObject({
      grant_type: 'authorization_code',
      client_id: 'client-1',
      code: 'the-code',
      redirect_uri: `${origin}/`,
    });
    const catalogCall = seen.api.find((call) => call.path === '/api/catalog');
    expect(catalogCall?.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.sig$/);
    expect(catalogCall?.principal).toBeUndefined();
    await page.close();
  });
});
