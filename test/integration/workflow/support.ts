import type { Context } from 'aws-lambda';
import { createEventBus, type BusEvent } from '#local/event-bus.ts';
import { toApiEvent } from '#local/api-event.ts';
import { LocalEventPublisher, type ConvoyEventDetail } from '#local/local-event-publisher.ts';
import { createLocalWorkflows } from '#local/local-workflows.ts';
import type { WorkflowRunner } from '#local/workflow/workflow-runner.ts';
import { checkoutTimeouts } from '../../fixtures/bundles.ts';
import { createTestApi, fixtureCatalogYaml, type CallResult, type TestApi } from '../../support/api.ts';

/** The fixture catalog with a second payments member, so a hard-freeze override can get 2 approvals. */
export const approversCatalogYaml = `${fixtureCatalogYaml.trimEnd()}\n  - { principal: paolo, roles: ['team:payments'] }\n`;

export interface WorkflowHarness {
  api: TestApi;
  runner: WorkflowRunner;
  /** Everything the workflows and handlers put on the local Convoy bus. */
  events: BusEvent<ConvoyEventDetail>[];
  /** The overrides API (POST /overrides, approve, reject, GET) through middy, as `as`. */
  overrides(method: string, url: string, as: string, body?: unknown): Promise<CallResult>;
  /** A runner with another time scale, wired as the process's workflow engine. */
  useRunner(timeScale: number): WorkflowRunner;
  stop(): Promise<void>;
}

const context = { functionName: 'convoy-overrides', awsRequestId: 'test' } as Context;

/**
 * The API handlers on a fresh DynamoDB Local table, with the embedded runtime's workflow engine: the
 * real override-approval ASL on aws-local-stepfunctions, its Tasks bound to the real handler module,
 * putEvents on a local bus. Workflow time is scaled; Timestamp waits read the API's clock.
 */
export const createWorkflowHarness = async (timeScale: number): Promise<WorkflowHarness> => {
  const api = await createTestApi();
  const seeded = await api.call('PUT', '/catalog', {
    raw: approversCatalogYaml,
    headers: { 'content-type': 'application/yaml' },
  });
  if (seeded.status !== 200) throw new Error(`seeding the catalog failed: ${seeded.text}`);
  const pushed = await api.call('POST', '/bundles', { as: 'priya', body: checkoutTimeouts });
  if (pushed.status !== 201) throw new Error(`pushing the bundle failed: ${pushed.text}`);

  const events: BusEvent<ConvoyEventDetail>[] = [];
  const bus = createEventBus<ConvoyEventDetail>();
  bus.subscribe('test', (event) => {
    events.push(event);
  });
  const publisher = new LocalEventPublisher(bus, () => api.clock.now);
  const runners: WorkflowRunner[] = [];
  const useRunner = (scale: number): WorkflowRunner => {
    const { runner, engine } = createLocalWorkflows({
      events: publisher,
      deps: () => api.deps,
      timeScale: scale,
      clock: () => api.clock.now.getTime(),
    });
    runners.push(runner);
    Object.assign(api.deps, { events: publisher, workflows: engine });
    return runner;
  };
  const harness: WorkflowHarness = {
    api,
    runner: useRunner(timeScale),
    events,
    async overrides(method, url, as, body) {
      const match = toApiEvent({
        method,
        url,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        principal: as,
      });
      if (match.kind !== 'route') throw new Error(`no route for ${method} ${url}`);
      const response = await api.handlers.overrides(match.event, context);
      const text = response.body ?? '';
      return {
        status: response.statusCode ?? 200,
        headers: (response.headers ?? {}) as Record<string, string>,
        text,
        json: text === '' ? undefined : JSON.parse(text),
      };
    },
    useRunner: (scale) => {
      harness.runner = useRunner(scale);
      return harness.runner;
    },
    async stop() {
      await Promise.all(runners.map((runner) => runner.stop()));
      await api.table.drop();
    },
  };
  return harness;
};

/** The execution of an override's workflow (its name is the override id). */
export const executionOf = (runner: WorkflowRunner, overrideId: string) => {
  const execution = runner.list().find((e) => e.name === overrideId);
  if (!execution) throw new Error(`no execution for ${overrideId}`);
  return execution;
};
