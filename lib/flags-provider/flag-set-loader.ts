import { readFile } from 'node:fs/promises';
import { ConvoyError } from '#domain/core/errors.ts';
import { flagSetSchema as domainFlagSetSchema } from '#domain/flags/flag.ts';
import { buildFlagSet, flagSetSchema } from '#api/flags/flag-set.ts';
import type { FlagSet } from '#api/flags/flag-set.ts';

/**
 * Where a provider's flag set comes from. Given the ETag it holds, a loader answers the current set,
 * or `undefined` when the set has not changed (HTTP 304), so polling costs no parse.
 */
export type FlagSetLoader = (etag: string | undefined) => Promise<FlagSet | undefined>;

export interface HttpLoaderOptions {
  /** The API's base URL, e.g. `https://convoy.example.com/api`. */
  api: string;
  environment: string;
  headers?: Record<string, string>;
  fetch?: typeof globalThis.fetch;
}

/** `GET <api>/environments/<env>/flags` with If-None-Match: 304 keeps the set, 200 replaces it. */
export const httpFlagSetLoader = ({
  api,
  environment,
  headers = {},
  fetch = globalThis.fetch,
}: HttpLoaderOptions): FlagSetLoader => {
  const url = `${api.replace(/\/+$/, '')}/environments/${encodeURIComponent(environment)}/flags`;
  return async (etag) => {
    const response = await fetch(url, {
      headers: {
        accept: 'application/json',
        ...headers,
        ...(etag === undefined ? {} : { 'if-none-match': etag }),
      },
    });
    if (response.status === 304) return undefined;
    if (!response.ok) {
      throw new ConvoyError('unavailable', `GET ${url} answered ${response.status}`, {
        context: { url, status: response.status },
      });
    }
    return flagSetSchema.parse(await response.json());
  };
};

/**
 * A flag-set document as offline sources hold it: the wire document `GET /environments/{env}/flags`
 * answers (what the AppConfig flag-set sink publishes), or a bare `{ flags, segments }` (then the set
 * is for environment `environment`, version 0). Anything else throws (a ZodError naming the fields).
 */
export const parseFlagSet = (document: unknown, environment = 'local'): FlagSet => {
  const wire = flagSetSchema.safeParse(document);
  if (wire.success) return wire.data;
  const { flags, segments } = domainFlagSetSchema.parse(document);
  return buildFlagSet({ environment, version: 0, flags, segments });
};

/**
 * A flag-set file, for offline use (see parseFlagSet for what it may hold). Read once: its ETag never
 * changes, so later polls answer "not modified".
 */
export const fileFlagSetLoader =
  (path: string, environment = 'local'): FlagSetLoader =>
  async (etag) => {
    if (etag !== undefined) return undefined;
    return parseFlagSet(JSON.parse(await readFile(path, 'utf8')), environment);
  };
