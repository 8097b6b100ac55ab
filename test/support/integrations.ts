import type {
  ConvoyEvent,
  EventPublisher,
  SchedulePlanner,
  WorkflowEngine,
  WorkflowName,
} from '#integrations/ports.ts';

/**
 * Recording test doubles of the edge ports (event bus, workflow engine, scheduler): they have no local
 * engine in handler tests. `failing` makes every call of a port reject, as an outage would.
 */
export interface RecordingIntegrations {
  events: EventPublisher;
  workflows: WorkflowEngine;
  schedules: SchedulePlanner;
  published: ConvoyEvent[];
  started: { workflow: WorkflowName; name: string; input: Record<string, unknown> }[];
  resumed: { token: string; output: Record<string, unknown> }[];
  stopped: { workflow: WorkflowName; name: string; cause: string }[];
  /** Current schedules by name. */
  armed: Map<string, { at: string; payload: Record<string, unknown> }>;
  disarmed: string[];
  failing: Set<'events' | 'workflows' | 'schedules'>;
  reset(): void;
}

type Port = 'events' | 'workflows' | 'schedules';

export const recordingIntegrations = (): RecordingIntegrations => {
  const failing = new Set<Port>();
  /** Record (when the port is up) and settle like the real adapter would. */
  const call = <T>(port: Port, record: () => T): Promise<T> =>
    failing.has(port) ? Promise.reject(new Error(`${port} outage (test)`)) : Promise.resolve(record());
  const rec: RecordingIntegrations = {
    published: [],
    started: [],
    resumed: [],
    stopped: [],
    armed: new Map(),
    disarmed: [],
    failing,
    reset() {
      rec.published.length = 0;
      rec.started.length = 0;
      rec.resumed.length = 0;
      rec.stopped.length = 0;
      rec.armed.clear();
      rec.disarmed.length = 0;
      failing.clear();
    },
    events: {
      publish: (events) => call('events', () => void rec.published.push(...events)),
    },
    workflows: {
      start: (input) =>
        call('workflows', () => {
          rec.started.push(input);
          return { executionId: `exec-${input.name}` };
        }),
      sendTaskSuccess: (token, output) => call('workflows', () => void rec.resumed.push({ token, output })),
      sendTaskFailure: () => call('workflows', () => undefined),
      stop: (input) => call('workflows', () => void rec.stopped.push(input)),
    },
    schedules: {
      arm: ({ name, at, payload }) => call('schedules', () => void rec.armed.set(name, { at, payload })),
      disarm: (name) =>
        call('schedules', () => {
          rec.armed.delete(name);
          rec.disarmed.push(name);
        }),
    },
  };
  return rec;
};
