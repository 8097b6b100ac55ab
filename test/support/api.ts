import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import type { Deps } from '#app/deps.ts';
import { toApiEvent } from '#local/api-event.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#store/client.ts';
import { createConvoyStore } from '#store/convoy-store.ts';
import type { ConvoyStore } from '#store/ports.ts';
import { testDeps } from './deps.ts';
import { createTestTable, type TestTable } from './dynamo.ts';
import { apiHandlers, type ApiHandlers } from './handlers.ts';
import { recordingIntegrations, type RecordingIntegrations } from './integrations.ts';

export const fixtureCatalogYaml = readFileSync(new URL('../fixtures/catalog.yaml', import.meta.url), 'utf8');

export interface CallOptions {
  as?: string | null;
  body?: unknown;
  /** Sent as is (YAML, malformed JSON, oversize bodies). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Record<string, string>;
  text: string;
  // Tests read arbitrary response shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

const lambdaContext = { functionName: 'convoy-test', awsRequestId: 'test' } as Context;

export interface TestApi {
  table: TestTable;
  store: ConvoyStore;
  /** The document client of `store` (and of the handlers): tests may add middleware to it. */
  doc: DynamoDBDocumentClient;
  /** Recording doubles of the event bus, workflow engine and scheduler the handlers use. */
  integrations: RecordingIntegrations;
  clock: { now: Date };
  /**
   * The handlers' deps (this test's composition root): a test may swap a port on it, e.g.
   * `api.deps.store = failing`, and put it back; make other handlers with `make(api.deps)`.
   */
  deps: Deps;
  /** The route groups' handlers, made from `deps`. */
  handlers: ApiHandlers;
  call(method: string, url: string, options?: CallOptions): Promise<CallResult>;
  /** Apply the fixture catalog as olivia. */
  seedCatalog(): Promise<void>;
}

/** Handlers invoked through middy with real API Gateway v2 events, on a fresh DynamoDB Local table. */
export const createTestApi = async (): Promise<TestApi> => {
  const table = await createTestTable('api');
  const doc = createDocumentClient({ endpoint: table.endpoint });
  const store = createConvoyStore({ doc, tableName: table.tableName });
  const clock = { now: new Date('2026-11-23T10:00:00Z') };
  const integrations = recordingIntegrations();
  const { events, workflows, schedules } = integrations;
  const deps = testDeps({ store, now: () => clock.now, events, workflows, schedules });
  const handlers = apiHandlers(deps);
  const call = async (method: string, url: string, options: CallOptions = {}): Promise<CallResult> => {
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const headers = {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    };
    const principal = options.as === null ? undefined : (options.as ?? 'olivia');
    const match = toApiEvent({ method, url, headers, body, principal });
    if (match.kind !== 'route') throw new Error(`no route for ${method} ${url}`);
    const response = await handlers[match.route.group](match.event, lambdaContext);
    const text = response.body ?? '';
    const responseHeaders = (response.headers ?? {}) as Record<string, string>;
    const isJson = (responseHeaders['content-type'] ?? '').includes('json');
    return {
      status: response.statusCode ?? 200,
      headers: responseHeaders,
      text,
      json: isJson ? JSON.parse(text) : undefined,
    };
  };
  const seedCatalog = async (): Promise<void> => {
    const result = await call('PUT', '/catalog', {
      raw: fixtureCatalogYaml,
      headers: { 'content-type': 'application/yaml' },
    });
    if (result.status !== 200) throw new Error(`seeding the catalog failed: ${result.text}`);
  };
  return { table, store, doc, integrations, clock, deps, handlers, call, seedCatalog };
};
