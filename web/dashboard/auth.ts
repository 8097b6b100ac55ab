import { signal } from '@preact/signals';
import { principal, principalChosen } from './state.ts';

/**
 * Sign-in on AWS. The deployment writes `/config.json` next to index.html and the page names it in a
 * `<meta name="convoy-config">`: then people sign in through the Cognito hosted UI (authorization code
 * with PKCE, a public client) and the API is called under `apiBase` with the ID token, whose
 * `custom:principal` (or user name) is the catalog principal. The embedded runtime has no such meta:
 * its page keeps the principal picker.
 */
export interface DashboardConfig {
  apiBase: string;
  auth: { domain: string; clientId: string; scopes: string[] };
}

let config: DashboardConfig | undefined;
let idToken: string | undefined;

/** Who the signed-in person acts as (null: no sign-in, the embedded runtime's picker). */
export const signedInAs = signal<string | null>(null);

const TOKEN = 'convoy.idToken';
const PENDING = 'convoy.signIn';

export const apiBase = (): string => config?.apiBase ?? '';
export const bearerToken = (): string | undefined => idToken;

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const randomString = (): string => base64url(crypto.getRandomValues(new Uint8Array(32)));

const claimsOf = (token: string): Record<string, unknown> => {
  const payload = token.split('.')[1] ?? '';
  const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  return JSON.parse(json) as Record<string, unknown>;
};

const redirectUri = (): string => `${location.origin}/`;

/** Off to the hosted UI; it comes back to `/?code=…&state=…`. */
export const signIn = async (): Promise<void> => {
  if (!config) return;
  const verifier = randomString();
  const state = randomString();
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, hash: location.hash }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.auth.clientId,
    redirect_uri: redirectUri(),
    scope: config.auth.scopes.join(' '),
    state,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  });
  location.assign(`${config.auth.domain}/oauth2/authorize?${query.toString()}`);
};

export const signOut = (): void => {
  if (!config) return;
  sessionStorage.removeItem(TOKEN);
  const query = new URLSearchParams({ client_id: config.auth.clientId, logout_uri: redirectUri() });
  location.assign(`${config.auth.domain}/logout?${query.toString()}`);
};

/** Trade the code the hosted UI returned (with the PKCE verifier) for tokens. */
const exchange = async (auth: DashboardConfig['auth'], code: string, state: string | null) => {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? '{}') as {
    verifier?: string;
    state?: string;
    hash?: string;
  };
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', `/${pending.hash ?? ''}`);
  if (!pending.verifier || pending.state !== state) return;
  const response = await fetch(`${auth.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: auth.clientId,
      code,
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok)
    throw new Error(`Sign-in failed: the token endpoint answered ${String(response.status)}.`);
  const tokens = (await response.json()) as { id_token?: string };
  if (tokens.id_token) sessionStorage.setItem(TOKEN, tokens.id_token);
};

const usable = (token: string | null): token is string =>
  token !== null && Number(claimsOf(token).exp ?? 0) * 1000 > Date.now() + 60_000;

/**
 * Before the first render: resolve who the page acts as. True when the page can render; false when
 * it left for the sign-in page.
 */
export const startIdentity = async (): Promise<boolean> => {
  const path = document.querySelector('meta[name="convoy-config"]')?.getAttribute('content');
  if (!path) return true;
  const response = await fetch(path);
  if (!response.ok)
    throw new Error(`The dashboard configuration ${path} answered ${String(response.status)}.`);
  config = (await response.json()) as DashboardConfig;
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (code) await exchange(config.auth, code, params.get('state'));
  const token = sessionStorage.getItem(TOKEN);
  if (!usable(token)) {
    await signIn();
    return false;
  }
  idToken = token;
  const claims = claimsOf(token);
  const name = [claims['custom:principal'], claims['cognito:username']].find(
    (claim): claim is string => typeof claim === 'string' && claim.trim() !== '',
  );
  signedInAs.value = name ?? '(no principal)';
  principal.value = signedInAs.value;
  principalChosen.value = true;
  return true;
};

/** The token was refused (expired, signed out elsewhere): sign in again. */
export const signInAgain = (): void => {
  sessionStorage.removeItem(TOKEN);
  void signIn();
};
