import { apiBase, bearerToken, signedInAs, signInAgain } from './auth.ts';
import { principal } from './state.ts';

/** The principal header of the embedded API (lib/api/client.ts PRINCIPAL_HEADER, the CLI's --as). */
export const PRINCIPAL_HEADER = 'x-convoy-principal';

/** An RFC 9457 problem document, as every API error answers. */
export interface Problem {
  status: number;
  code?: string;
  title?: string;
  detail?: string;
  problems?: { code?: string; path?: string; message?: string }[];
  [field: string]: unknown;
}

/** What a person can do about a problem, by status (the CLI's hints, in the dashboard's words). */
export const hintFor = (problem: Problem): string => {
  switch (problem.status) {
    case 0:
      return 'Check that Convoy is running (npm start) and reload the page.';
    case 401:
      return signedInAs.value === null
        ? 'Choose a principal in the "Acting as" picker.'
        : 'Your sign-in expired: reload the page to sign in again.';
    case 403:
      if (signedInAs.value !== null)
        return "Ask an administrator to set your user's custom:principal to a catalog principal with the right role.";
      return 'Act as a principal with the right role (the "Acting as" picker), or ask a release manager to grant it in the catalog roles.';
    case 404:
      return 'It may have been removed: reload the view.';
    case 409:
      return 'The state changed or the action is refused by a rule: reload the view, then retry if it still applies.';
    case 412:
      return 'It changed since you read it: reload the view and retry.';
    case 422:
      return 'Fix the problems listed and retry.';
    case 429:
    case 503:
      return 'Convoy is busy or starting: retry in a moment.';
    default:
      return problem.status >= 500
        ? 'Check the `npm start` console for the error, then retry.'
        : 'Check the request and retry.';
  }
};

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.problem = problem;
  }
}

export interface ApiAnswer<T> {
  status: number;
  etag: string | null;
  data: T | undefined;
}

const problemOf = (status: number, text: string): Problem => {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return { ...parsed, status };
  } catch {
    // not JSON: the text is the detail
  }
  return { status, detail: text || `HTTP ${status}` };
};

/**
 * One call to the Convoy API (same origin) as the picked principal. Errors are raised as ApiError
 * with the problem document; a 304 answers without data.
 */
export const request = async <T>(
  method: string,
  path: string,
  options: { json?: unknown; etag?: string | null } = {},
): Promise<ApiAnswer<T>> => {
  // On AWS the signed-in person's token (the API maps it to a principal); embedded, the picked principal.
  const token = bearerToken();
  const headers: Record<string, string> = token
    ? { authorization: `Bearer ${token}`, accept: 'application/json' }
    : { [PRINCIPAL_HEADER]: principal.value, accept: 'application/json' };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.etag) headers['if-none-match'] = options.etag;
  let response: Response;
  try {
    response = await fetch(`${apiBase()}${path}`, {
      method,
      headers,
      ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ApiError({ status: 0, title: 'Network error', detail: `Convoy did not answer: ${why}` });
  }
  const etag = response.headers.get('etag');
  if (response.status === 304) return { status: 304, etag, data: undefined };
  const text = await response.text();
  if (response.status === 401 && token) signInAgain();
  if (!response.ok) throw new ApiError(problemOf(response.status, text));
  return { status: response.status, etag, data: (text ? JSON.parse(text) : undefined) as T };
};

export const get = async <T>(path: string): Promise<T> => (await request<T>('GET', path)).data as T;

export const post = async <T>(path: string, json?: unknown): Promise<T> =>
  (await request<T>('POST', path, json === undefined ? {} : { json })).data as T;

/** Encode one path segment. */
export const seg = (value: string): string => encodeURIComponent(value);
