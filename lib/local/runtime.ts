import { logger } from '#app/logger.ts';
import { DEFAULT_TABLE_NAME } from '#store/table.ts';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AuditEvent } from '#domain/audit/event.ts';
import { expandAlarms, type Strategy } from '#domain/rollout/strategy.ts';
import type { Deps } from '#app/deps.ts';
import type { ConvoyStore } from '#store/ports.ts';
import { routeGroups } from '#api/routes.ts';
import { takeCheckpoint } from '#app/audit/take-checkpoint.ts';
import { flushEvaluations } from '#app/flags/count-evaluations.ts';
import { localCheckpoints } from './local-checkpoints.ts';
import { startApiServer, type ApiServer } from './api-server.ts';
import { dashboardAssets } from './dashboard-assets.ts';
import { startAuditRelay, type AuditRelay } from './audit-relay.ts';
import { jsonlAuditSubscriber } from './audit-sinks.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.ts';
import { superviseEngine, type EngineSupervisor } from './engine-supervisor.ts';
import { embeddedDeps, embeddedStore } from './embedded-deps.ts';
import { ensureTable } from './ensure-table.ts';
import { createEventBus, type BusEvent } from './event-bus.ts';
import { moduleFunction, moduleHandlerLoader, type DepsSource } from './lambda-runtime.ts';
import {
  RELEASE_ANNOUNCER_ENTRY,
  auditBusEnvelope,
  releaseAnnouncerTypes,
} from './release-announcer-entry.ts';
import { LocalAlarms } from './local-alarms.ts';
import { createLocalDynamoDbClient } from './local-clients.ts';
import type { ConvoyEventDetail } from './local-event-publisher.ts';
import { startLocalIntegrations, type LocalIntegrations } from './local-integrations.ts';
import { seedDemo, type SeedReport } from './seed.ts';

/** How often the embedded runtime signs an audit checkpoint (CloudTrail writes its digests hourly). */
const CHECKPOINT_INTERVAL_MS = 60 * 60_000;

export interface RuntimeOptions {
  port: number;
  host?: string;
  inMemory: boolean;
  demo: boolean;
  dataDir: string;
  /** @default the table a Lambda uses when CONVOY_TABLE_NAME is unset */
  table?: string;
  /** An existing DynamoDB endpoint (CONVOY_DYNAMODB_ENDPOINT): no engine is started. */
  endpoint?: string;
  demoFile?: string;
  /** Every audit event the bus delivers (the CLI prints a one-line summary). */
  onAuditEvent: (event: AuditEvent) => void;
  /** Every event on the local Convoy bus (FreezeStarted, OverrideRequested, …). */
  onConvoyEvent?: (event: BusEvent<ConvoyEventDetail>) => void;
  /** Workflow time (waits, task timeouts) runs this many times faster (issue 4's `--time-scale`). @default 1 */
  timeScale?: number;
  /**
   * Epoch ms the runtime's clock starts at (`--clock`): it then runs at real speed. Demos and tests of
   * any date (a weekend, a freeze, a DST change) without touching the machine's clock. @default now
   */
  clockStart?: number;
  warn: (line: string) => void;
}

export interface RuntimeInfo {
  url: string;
  port: number;
  endpoint: string;
  engine: 'dynamodb-local' | 'external';
  enginePid: number | undefined;
  relay: AuditRelay['mode'];
  auditFile: string;
  table: string;
  /** The local Convoy bus's JSON-lines file. */
  eventsFile: string;
  timeScale: number;
  /** The runtime's clock when it became ready (ISO): differs from the machine's under `--clock`. */
  now: string;
  seed: SeedReport | undefined;
  readyMs: number;
  /** Milliseconds since start at which each phase finished. */
  phases: Record<string, number>;
}

export interface Runtime {
  /** The CloudWatch stand-in the rollouts' health checks read (`convoy alarm`, `/local/alarms`). */
  alarms: LocalAlarms;
  start(): Promise<RuntimeInfo>;
  /** Stops whatever has started, newest first; safe to call at any point and more than once. */
  stop(): Promise<void>;
}

/**
 * Workflow time for `--time-scale`: from `origin` on, it runs `scale` times faster than the wall clock.
 * The runner's waits and timeouts run at its pace, and its `$$.State.EnteredTime` reads it: the rollout
 * tasks reckon bakes and approval timeouts in it (and stamp the rollout's events with it), so a bake
 * the runner shortens is also baked by the tasks' reckoning. The API, freezes, the scheduler, reports,
 * audit and the bus stamps stay on the calendar clock (the machine's, or `--clock`'s).
 */
export const scaledClock =
  (scale: number, origin = Date.now(), wall: () => number = Date.now): (() => number) =>
  () =>
    origin + (wall() - origin) * scale;

/**
 * The runtime's clock under `--clock`: it reads `start` when created and then runs at the wall clock's
 * speed. Freeze calendars, overrides, reports and audit stamps all follow it.
 */
export const pinnedClock = (start: number, wall: () => number = Date.now): (() => number) => {
  const origin = wall();
  return () => start + (wall() - origin);
};

/** Every alarm the catalog's strategies watch, once each, in order. */
export const strategyAlarmNames = (strategies: readonly Strategy[]): string[] => [
  ...new Set(
    strategies.flatMap((strategy) =>
      strategy.phases.flatMap((phase) => phase.environments.flatMap((env) => expandAlarms(strategy, env))),
    ),
  ),
];

/** The demo starts healthy: every alarm of the catalog's strategies is OK until someone flips it. */
const healthyDemoAlarms = async (alarms: LocalAlarms, store: ConvoyStore): Promise<void> => {
  const stored = await store.catalogs.getCatalog();
  const known = new Set(alarms.list().map((a) => a.name));
  for (const name of strategyAlarmNames(stored?.catalog.strategies ?? [])) {
    if (!known.has(name)) alarms.set(name, 'OK');
  }
};

export const createRuntime = (given: RuntimeOptions): Runtime => {
  // Handlers log JSON for CloudWatch; on a console only their warnings and errors are worth showing.
  if (process.env.POWERTOOLS_LOG_LEVEL === undefined) logger.setLogLevel('WARN');
  const options = { ...given, table: given.table ?? DEFAULT_TABLE_NAME };
  const alarms = new LocalAlarms();
  const calendarClock = options.clockStart === undefined ? undefined : pinnedClock(options.clockStart);
  const wallNow = calendarClock ?? Date.now;
  let engine: DynamoDbLocal | undefined;
  let supervisor: EngineSupervisor | undefined;
  let followStream: ((streamArn: string | undefined) => Promise<void>) | undefined;
  let relay: AuditRelay | undefined;
  let server: ApiServer | undefined;
  let integrations: LocalIntegrations | undefined;
  let starting: Promise<RuntimeInfo> | undefined;
  let stopping: Promise<void> | undefined;
  let checkpointTimer: NodeJS.Timeout | undefined;
  let tallyTimer: NodeJS.Timeout | undefined;
  /** What the handlers are made from: built once the engine, the adapters and the key are up. */
  let deps: Deps | undefined;
  const handlerDeps: DepsSource = () => {
    if (deps === undefined) throw new Error('A handler ran before the runtime had built its deps.');
    return deps;
  };
  /** Between phases, a start that was asked to stop gives up (stop() then tears down what exists). */
  const checkpoint = (): void => {
    if (stopping) throw new Error('Convoy was stopped while starting.');
  };
  const state: {
    ready: boolean;
    accepting: boolean;
    phase: string;
    startedAt: string;
    relay?: string;
    engine?: string;
    /** The engine died and is being restarted: /health says degraded, other routes answer 503. */
    degraded: boolean;
    engineRestarts: number;
  } = {
    ready: false,
    accepting: false,
    phase: 'starting',
    startedAt: new Date(wallNow()).toISOString(),
    degraded: false,
    engineRestarts: 0,
  };
  // Last resort: whatever way this process ends, the java child does not outlive it.
  const killEngine = (): void => {
    const pid = (supervisor?.current() ?? engine)?.pid;
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };

  /** Restart a dead engine on the same data and port; meanwhile report degraded and refuse requests. */
  const superviseRestarts = (
    first: DynamoDbLocal,
    restart: (port: number) => Promise<DynamoDbLocal>,
  ): EngineSupervisor => {
    let before = { ready: false, accepting: false, phase: '' };
    return superviseEngine(first, {
      restart,
      warn: options.warn,
      onDown: (why) => {
        if (!state.degraded) before = { ready: state.ready, accepting: state.accepting, phase: state.phase };
        Object.assign(state, { degraded: true, ready: false, accepting: false, phase: `restarting: ${why}` });
      },
      onUp: async (next) => {
        // In memory the table is gone with the engine; on disk this only confirms it is there.
        const dynamo = createLocalDynamoDbClient(next.endpoint);
        const table = await ensureTable(dynamo, options.table).finally(() => {
          dynamo.destroy();
        });
        await followStream?.(table.streamArn);
        state.engineRestarts = supervisor?.restarts() ?? state.engineRestarts + 1;
        if (stopping) return;
        Object.assign(state, { ...before, degraded: false });
      },
      onGiveUp: (why) => {
        state.phase = why;
      },
    });
  };

  const run = async (): Promise<RuntimeInfo> => {
    const t0 = performance.now();
    const phases: Record<string, number> = {};
    const mark = (phase: string): void => {
      phases[phase] = Math.round(performance.now() - t0);
    };
    const dataDir = resolve(options.dataDir);
    const loadHandler = moduleHandlerLoader(handlerDeps);
    // Load the handler modules while the engine boots, like warm Lambda containers.
    const warm = Promise.all(routeGroups.map((group) => loadHandler(group)));
    // Bundle the dashboard (served at /) meanwhile too; a failure is answered on GET / with its cause.
    dashboardAssets().catch(() => undefined);
    // Listen first: a busy port fails at once, and /health answers while the engine starts.
    server = await startApiServer({
      port: options.port,
      ...(options.host === undefined ? {} : { host: options.host }),
      loadHandler,
      readiness: () => ({ ...state }),
      alarms,
      onError: (error, route) => {
        options.warn(
          `${route} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      },
    });
    mark('server');
    let endpoint = options.endpoint;
    if (endpoint === undefined) {
      state.phase = 'starting DynamoDB Local';
      const engineData = options.inMemory ? {} : { dataDir: join(dataDir, 'dynamodb') };
      engine = await startDynamoDbLocal(engineData);
      process.once('exit', killEngine);
      endpoint = engine.endpoint;
      supervisor = superviseRestarts(engine, (port) => startDynamoDbLocal({ ...engineData, port }));
      mark('engine');
      checkpoint();
    }
    state.engine = engine ? 'dynamodb-local' : 'external';
    const store = embeddedStore(endpoint, options.table);

    state.phase = 'creating the table';
    const dynamo = createLocalDynamoDbClient(endpoint);
    const table = await ensureTable(dynamo, options.table).finally(() => {
      dynamo.destroy();
    });
    mark('table');

    const auditFile = join(dataDir, 'audit.jsonl');
    const bus = createEventBus<AuditEvent>((name, error) => {
      options.warn(`audit subscriber ${name} failed: ${String(error)}`);
    });
    bus.subscribe('console', (event) => {
      options.onAuditEvent(event.detail);
    });
    bus.subscribe('jsonl', jsonlAuditSubscriber(auditFile));
    // Release steps announced on the Convoy bus, as the audit bus rule invokes the announcer on AWS.
    const announce = moduleFunction('convoy-release-announcer', RELEASE_ANNOUNCER_ENTRY, handlerDeps);
    bus.subscribe('release-announcer', async ({ detail }) => {
      if (releaseAnnouncerTypes.has(detail.type)) await announce(auditBusEnvelope(detail));
    });
    const relayFrom = (streamArn: string | undefined): Promise<AuditRelay> =>
      startAuditRelay({
        endpoint,
        tableName: options.table,
        streamArn,
        bus,
        onError: (error) => {
          // While stopping or restarting, the engine is gone and the runtime has said so already.
          if (!stopping && !state.degraded) options.warn(`audit relay: ${String(error)}`);
        },
      });
    relay = await relayFrom(table.streamArn);
    // An in-memory engine comes back with a new table, hence a new stream: the relay follows it.
    let relayedStream = table.streamArn;
    followStream = async (streamArn) => {
      if (streamArn === relayedStream) return;
      relayedStream = streamArn;
      await relay?.stop();
      relay = await relayFrom(streamArn);
    };
    state.relay = relay.mode;
    mark('relay');

    // The edge adapters (Convoy bus, workflows, scheduler) behind the handlers' ports.
    const scale = options.timeScale ?? 1;
    const clock = scale === 1 ? calendarClock : scaledClock(scale, wallNow(), wallNow);
    integrations = startLocalIntegrations({
      dataDir,
      deps: handlerDeps,
      alarms,
      ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
      ...(clock === undefined ? {} : { clock }),
      ...(calendarClock === undefined ? {} : { calendarClock }),
      ...(options.onConvoyEvent ? { onEvent: options.onConvoyEvent } : {}),
      warn: options.warn,
    });
    // Signed audit checkpoints under the data directory, taken hourly (and by `convoy audit checkpoint`).
    const checkpoints = await localCheckpoints(dataDir);
    // The handlers' clock is the calendar's, never scaled: only the workflow's time runs faster.
    const built = embeddedDeps({
      store,
      integrations,
      ...(calendarClock === undefined ? {} : { calendarClock }),
      checkpoints,
    });
    deps = built;
    checkpointTimer = setInterval(() => {
      takeCheckpoint(
        { audit: store.audit, checkpoints },
        { principal: 'convoy', at: built.now().toISOString() },
      ).catch((error: unknown) => {
        options.warn(`audit checkpoint: ${error instanceof Error ? error.message : String(error)}`);
      });
    }, CHECKPOINT_INTERVAL_MS);
    checkpointTimer.unref();
    // OFREP's evaluation counts reach the table when due, even when no request comes to flush them.
    const tally = built.evaluationTally;
    if (tally !== undefined) {
      tallyTimer = setInterval(() => {
        if (tally.due(built.now().getTime())) void flushEvaluations(built, tally);
      }, 1_000);
      tallyTimer.unref();
    }

    await warm;
    mark('handlers');
    checkpoint();
    state.phase = 'recovering schedules and workflows';
    await integrations.recover();
    mark('integrations');
    checkpoint();
    // From here on, handlers may run: the API accepts requests (the demo is seeded through it).
    state.accepting = true;
    let seed: SeedReport | undefined;
    if (options.demo) {
      checkpoint();
      state.phase = 'seeding the demo';
      try {
        seed = await seedDemo(server.url, options.demoFile, wallNow);
        await healthyDemoAlarms(alarms, store);
      } catch (error) {
        // The runtime is usable without the demo; say what went wrong and keep serving.
        options.warn(
          `Seeding the demo data failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    if (options.demo) mark('demo');
    checkpoint();
    state.phase = 'ready';
    state.ready = true;
    return {
      url: server.url,
      port: server.port,
      endpoint,
      engine: engine ? 'dynamodb-local' : 'external',
      enginePid: engine?.pid,
      relay: relay.mode,
      auditFile,
      table: options.table,
      eventsFile: integrations.eventsFile,
      timeScale: options.timeScale ?? 1,
      now: new Date(wallNow()).toISOString(),
      seed,
      readyMs: Math.round(performance.now() - t0),
      phases,
    };
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await starting?.catch(() => undefined);
      state.ready = false;
      state.accepting = false;
      state.phase = 'stopping';
      clearInterval(checkpointTimer);
      clearInterval(tallyTimer);
      await server?.close();
      // Counts still waiting are written while the engine is up.
      if (deps?.evaluationTally) await flushEvaluations(deps, deps.evaluationTally);
      // Workflows and timers stop before the engine their handlers write to.
      await integrations?.stop();
      await relay?.stop();
      await (supervisor ?? engine)?.stop();
      process.off('exit', killEngine);
    })();
    return stopping;
  };

  const start = (): Promise<RuntimeInfo> => {
    starting ??= run();
    return starting;
  };

  return { alarms, start, stop };
};
