import { performance } from 'node:perf_hooks';
import type { SealedBundle } from '#domain/bundles/bundle.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { authorize } from '#domain/core/authorization.ts';
import { badRequest, validationFailed } from '#domain/core/errors.ts';
import { isGlob } from '#domain/core/glob.ts';
import { formatBundleRef } from '#domain/core/names.ts';
import { formatOffset } from '#domain/rollout/iso-duration.ts';
import { simulationReport, type SimulationReport } from '#domain/rollout/simulation-report.ts';
import { isTerminal } from '#domain/rollout/state.ts';
import type { SchedulePlanner } from '#integrations/ports.ts';
import { startRollout } from '#app/rollouts/start-rollout.ts';
import type { Deps } from '#app/deps.ts';
import { unconfiguredIntegrations } from '#integrations/unconfigured.ts';
import { createEventBus } from './event-bus.ts';
import { LocalEventPublisher } from './local-event-publisher.ts';
import { moduleFunction, type DepsSource } from './lambda-runtime.ts';
import { createLocalWorkflows, localWorkflowFunctions } from './local-workflows.ts';
import { openScratchTable } from './simulation-engine.ts';
import { resolveInputs, type SimulationBundle, type SimulationCatalog } from './simulation-inputs.ts';
import { seedSimulation } from './simulation-seed.ts';
import { ScenarioAlarms, scriptedApprovals } from './simulation-world.ts';
import { VirtualClock } from './virtual-clock.ts';
import type { LocalFunction } from './workflow/task-bindings.ts';
import type { WorkflowRunner } from './workflow/workflow-runner.ts';

export interface SimulateOptions {
  /** A parsed YAML/JSON strategy, or `{ name }` to read it from the catalog's `strategies`. */
  strategy: unknown;
  /** A parsed YAML/JSON scenario (lib/domain/rollout/scenario-schema.ts). */
  scenario: unknown;
  /** `name@version` of a bundle the API has, a bundle document, or `{ release }` the API has. */
  bundle: SimulationBundle;
  /** A catalog document, or the running API to read the catalog and the environments' state from. */
  catalog: SimulationCatalog;
  /** ISO instant the virtual clock starts at. @default now */
  start?: string;
  /** A running DynamoDB (Local) to create the scratch table in; otherwise one is started in memory. */
  engine?: { endpoint: string };
}

/** Where the wall-clock time of one simulation went. */
export interface SimulationWallTime {
  /** Starting the engine (if none was given) and creating the scratch table. */
  engineMs: number;
  /** Reading the inputs, seeding the table and starting the rollout. */
  seedMs: number;
  /** Running the rollout on the virtual clock. */
  runMs: number;
  totalMs: number;
  /** Health checks the workflow ran (DescribeAlarms calls). */
  checks: number;
  /** Time inside the workflow's Lambda handlers (their store requests included). */
  handlerMs: number;
  /** Store requests of the whole simulation (seeding included), and their summed time. */
  storeRequests: number;
  storeMs: number;
}

export interface SimulationRun extends SimulationReport {
  /** What the simulator could not reproduce or apply, and why it stopped if the rollout did not end. */
  notes: string[];
  wall: SimulationWallTime;
}

/** How far the virtual clock may run: the outcome is reported as it stands then. */
export const SIMULATION_CAP_MS = 90 * 86_400_000;
/** The id of the simulated rollout in its scratch table. */
export const SIMULATED_ROLLOUT_ID = 'simulated-rollout';

/** The scheduler is not part of a simulation: freeze windows are evaluated when changes commit. */
const noSchedules: SchedulePlanner = { arm: () => Promise.resolve(), disarm: () => Promise.resolve() };

/** The workflow's handler files, timed: the wall time spent inside them is added to `spent.ms`. */
const timedHandlers = (spent: { ms: number }, deps: DepsSource): Record<string, LocalFunction> =>
  Object.fromEntries(
    Object.entries(localWorkflowFunctions).map(([name, entry]) => {
      const handler = moduleFunction(name, entry, deps);
      const timed: LocalFunction = async (payload) => {
        const called = performance.now();
        try {
          return await handler(payload);
        } finally {
          spent.ms += performance.now() - called;
        }
      };
      return [name, timed];
    }),
  );

/**
 * Run `work` with Error stack traces off. The engine's JSONPath library throws (and catches) an Error
 * for every scalar it reads, a dozen per health check; without a stack to capture that costs a third.
 * Failures inside the run still surface by name and message, which is all a workflow task reports.
 */
const withoutStackTraces = async (work: () => Promise<void>): Promise<void> => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    await work();
  } finally {
    Error.stackTraceLimit = limit;
  }
};

const startOf = (start: string | undefined): number => {
  if (start === undefined) return Date.now();
  const at = Date.parse(start);
  if (Number.isNaN(at))
    throw badRequest(`start "${start}" is not an ISO 8601 instant, e.g. 2026-12-01T09:00:00Z.`);
  return at;
};

/** Who starts the rollout: the API's principal if allowed, else the catalog's first release manager. */
const starterOf = (catalog: Catalog, principal: string | undefined, notes: string[]): string => {
  const may = (who: string): boolean =>
    authorize({ catalog, principal: who, action: 'rollout:start' }).allowed;
  if (principal !== undefined && may(principal)) return principal;
  const manager = catalog.roles.map((r) => r.principal).find((who) => !isGlob(who) && may(who));
  if (manager === undefined) {
    throw validationFailed('No one may start a rollout with this catalog.', [
      {
        code: 'catalog.no-release-manager',
        path: 'catalog.roles',
        message: 'map a principal to release-manager',
      },
    ]);
  }
  if (principal !== undefined) notes.push(`${principal} may not start rollouts: simulated as ${manager}.`);
  return manager;
};

/** A release's sign-offs are not copied into the scratch table: its rollout goes ahead without them. */
const releaseUnit = (
  release: string,
  notes: string[],
): { release: string; overrideSignoffs: { reason: string } } => {
  notes.push(`${release}: its sign-offs are not simulated; the rollout overrides them.`);
  return { release, overrideSignoffs: { reason: 'simulation' } };
};

/**
 * Dry-run a rollout: the real progressive-rollout state machine and its real handlers, on a virtual
 * clock, against a scratch table seeded with the catalog, the bundle and (from the API) the current
 * state of the environments; the scenario scripts the alarms, monitoring outages, approvals and freezes.
 * Runs until the rollout ends (or nothing more can happen, or the 90-day cap), then reports from the
 * rollout's stored events. Invalid input fails before any engine starts; the scratch table is always
 * dropped, and an engine this started is always stopped. The handlers are made from the simulation's
 * own deps (its table, its virtual clock, its workflows), so simulations do not share anything.
 */
export const simulateRollout = async (options: SimulateOptions): Promise<SimulationRun> => {
  const began = performance.now();
  const start = startOf(options.start);
  const inputs = await resolveInputs(options);
  const notes: string[] = [];
  const starter = starterOf(inputs.catalog, inputs.principal, notes);
  const limit = start + SIMULATION_CAP_MS;
  const scratch = await openScratchTable(options.engine?.endpoint);
  let runner: WorkflowRunner | undefined;
  try {
    let act: () => Promise<void> = () => Promise.resolve();
    const clock = new VirtualClock({ start, limit, beforeAdvance: () => act() });
    const setup = clock.hold();
    const events = new LocalEventPublisher(createEventBus(), () => new Date(clock.now()));
    const alarms = new ScenarioAlarms(inputs.scenario, clock, start);
    const handlers = { ms: 0 };
    // The workflow's handlers are made from the deps below on their first invocation.
    const simulationDeps: DepsSource = () => deps;
    const functions = timedHandlers(handlers, simulationDeps);
    const workflows = createLocalWorkflows({
      events,
      deps: simulationDeps,
      virtualClock: clock,
      alarms,
      functions,
    });
    runner = workflows.runner;
    const deps: Deps = {
      ...unconfiguredIntegrations(),
      store: scratch.store,
      now: () => new Date(clock.now()),
      events,
      workflows: workflows.engine,
      schedules: noSchedules,
    };
    notes.push(...(await seedSimulation(deps, inputs, { start, horizon: limit + 86_400_000 })));
    const approvals = scriptedApprovals({
      deps,
      clock,
      start,
      scenario: inputs.scenario,
      rolloutId: SIMULATED_ROLLOUT_ID,
      notes,
    });
    act = approvals.act;
    const unit = inputs.release
      ? releaseUnit(inputs.release.name, notes)
      : { bundle: formatBundleRef((inputs.bundle as SealedBundle).bundle) };
    const started = await startRollout(deps, {
      ...unit,
      strategy: inputs.strategy,
      principal: starter,
      id: SIMULATED_ROLLOUT_ID,
    });
    const seeded = performance.now();
    await withoutStackTraces(async () => {
      setup();
      await clock.idle();
    });
    approvals.leftOver();
    const report = simulationReport(
      await deps.store.rollouts.events(started.rollout.id),
      new Date(start).toISOString(),
    );
    if (!isTerminal(report.outcome)) {
      const at = formatOffset(clock.now() - start);
      notes.push(
        clock.pending > 0
          ? `The simulation stopped at its ${SIMULATION_CAP_MS / 86_400_000}-day cap with the rollout ${report.outcome}.`
          : `The simulation ended at ${at} with the rollout ${report.outcome}: nothing scripted changes that (an operator would have to act).`,
      );
    }
    const ended = performance.now();
    return {
      ...report,
      notes,
      wall: {
        engineMs: scratch.openMs,
        seedMs: seeded - began - scratch.openMs,
        runMs: ended - seeded,
        totalMs: ended - began,
        checks: alarms.calls,
        handlerMs: handlers.ms,
        storeRequests: scratch.requests.count,
        storeMs: scratch.requests.ms,
      },
    };
  } finally {
    await runner?.stop();
    await scratch.close();
  }
};
