import type {
  ConvoyEvent,
  EventPublisher,
  SchedulePlanner,
  WorkflowEngine,
  WorkflowName,
} from '../../lib/integrations/ports.ts';

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
  /** Current schedules by name. */
  armed: Map<string, { at: string; payload: Record<string, unknown> }>;
  disarmed: string[];
  failing: Set<'events' | 'workflows' | 'schedules'>;
  reset(): void;
}

export const recordingIntegrations = (): RecordingIntegrations => {
  const rec: RecordingIntegrations = {
    published: [],
    started: [],
    resumed: [],
    armed: new Map(),
    disarmed: [],
    failing: new Set(),
    reset() {
      rec.published.length = 0;
      rec.started.length = 0;
      rec.resumed.length = 0;
      rec.armed.clear();
      rec.disarmed.length = 0;
      rec.failing.clear();
    },
    events: {
      publish: async (events) => {
        check('events');
        rec.published.push(...events);
      },
    },
    workflows: {
      start: async (input) => {
        check('workflows');
        rec.started.push(input);
        return { executionId: `exec-${input.name}` };
      },
      sendTaskSuccess: async (token, output) => {
        check('workflows');
        rec.resumed.push({ token, output });
      },
      sendTaskFailure: async () => {
        check('workflows');
      },
    },
    schedules: {
      arm: async ({ name, at, payload }) => {
        check('schedules');
        rec.armed.set(name, { at, payload });
      },
      disarm: async (name) => {
        check('schedules');
        rec.armed.delete(name);
        rec.disarmed.push(name);
      },
    },
  };
  const check = (port: 'events' | 'workflows' | 'schedules'): void => {
    if (rec.failing.has(port)) throw new Error(`${port} outage (test)`);
  };
  return rec;
};
