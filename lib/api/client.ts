import { CliError, exitCodeForProblem, exitCodes, type ProblemDocument } from '#cli/exit-codes.ts';
import { frozenExplanation, overrideDecisionHint } from '#cli/freeze-format.ts';

export const DEFAULT_API_URL = 'http://localhost:4310';
export const PRINCIPAL_HEADER = 'x-convoy-principal';

export interface ApiClientOptions {
  baseUrl: string;
  principal: string;
  timeoutMs?: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as is, with `contentType`. */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Statuses answered to the caller instead of raised (e.g. 404 to probe, 304). */
  accept?: number[];
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface ApiClient {
  baseUrl: string;
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  /** The parsed JSON body of a successful request. */
  call<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

/** Encode one path segment (a name, version or environment). */
export const segment = (value: string): string => encodeURIComponent(value);

const hintFor = (status: number, problem: ProblemDocument): string | undefined => {
  const override = overrideDecisionHint(problem);
  if (override !== undefined) return override;
  switch (status) {
    case 401:
      return 'Pass --as <principal> or set CONVOY_PRINCIPAL.';
    case 403:
      return 'Run as a principal with the right role (--as), or ask a release manager to grant it in the catalog roles.';
    case 409: {
      if (exitCodeForProblem(status, problem) === exitCodes.rejected) {
        return problem.code === 'already-deployed'
          ? 'It is live there already: nothing to deploy (convoy status shows what runs where).'
          : 'A retry would be refused the same way; check the current state (convoy status).';
      }
      const head = problem.head as { version?: unknown } | undefined;
      return typeof head?.version === 'number'
        ? `HEAD is now at version ${head.version}; review it (convoy status) and retry.`
        : 'Re-read the current state and retry.';
    }
    case 412:
      return 'It changed since you read it; re-read it and retry with the new version.';
    case 413:
      return 'Split the document into smaller ones.';
    case 422:
      return 'Fix the problems listed and retry.';
    case 429:
    case 503:
      return 'Retry in a moment.';
    default:
      return status >= 500 ? 'Check the `convoy up` console (or the Lambda logs) for the error.' : undefined;
  }
};

const parseProblem = (text: string, status: number): ProblemDocument => {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return { status, ...(parsed as ProblemDocument) };
  } catch {
    // not JSON: keep the text as the detail
  }
  return { status, detail: text.slice(0, 500) || `HTTP ${status}` };
};

export const problemError = (status: number, problem: ProblemDocument): CliError => {
  const message = problem.detail ?? problem.title ?? `HTTP ${status}`;
  if (status === 423 || (status === 403 && problem.howToOverride !== undefined)) {
    // Frozen (or an override that cannot be used): the windows, the level, the exact override command.
    const frozen = frozenExplanation(problem, status);
    return new CliError(frozen.message ?? message, exitCodeForProblem(status, problem), {
      problem,
      hint: frozen.hint,
      details: frozen.details,
    });
  }
  const hint = hintFor(status, problem);
  return new CliError(message, exitCodeForProblem(status, problem), {
    problem,
    ...(hint === undefined ? {} : { hint }),
  });
};

const unreachable = (baseUrl: string, error: unknown): CliError => {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
  return new CliError(`Cannot reach the Convoy API at ${baseUrl} (${cause}).`, exitCodes.retry, {
    hint: 'Is `convoy up` running? Start it with `npm start`, or point --api / CONVOY_API_URL at your API.',
  });
};

export const createApiClient = (options: ApiClientOptions): ApiClient => {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const request = async (
    method: string,
    path: string,
    request: RequestOptions = {},
  ): Promise<ApiResponse> => {
    const url = new URL(`${baseUrl}${path}`);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      [PRINCIPAL_HEADER]: options.principal,
    };
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.text !== undefined) {
      headers['content-type'] = request.contentType ?? 'application/json';
      body = request.text;
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { ...headers, ...request.headers },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw unreachable(baseUrl, error);
    }
    const text = await response.text();
    if (response.ok || request.accept?.includes(response.status)) {
      return { status: response.status, headers: response.headers, text };
    }
    throw problemError(response.status, parseProblem(text, response.status));
  };
  return {
    baseUrl,
    request,
    call: async <T>(method: string, path: string, requestOptions?: RequestOptions): Promise<T> => {
      const response = await request(method, path, requestOptions);
      return (response.text === '' ? undefined : JSON.parse(response.text)) as T;
    },
  };
};
