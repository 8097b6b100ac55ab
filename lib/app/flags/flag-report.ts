import type { Catalog } from '#domain/catalog/catalog.ts';
import { canonicalJson } from '#domain/core/json.ts';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import { hourBucketOf } from '#domain/flags/evaluation-counts.ts';
import { flagReport } from '#domain/flags/flag-report.ts';
import type { FlagChange, FlagReport, FlagReportThresholds } from '#domain/flags/flag-report.ts';
import type { FlagDefinition } from '#domain/flags/flag.ts';
import { isTerminal } from '#domain/rollout/state.ts';
import { requireEnvironment, requireHead } from '../environments/environment-context.ts';
import { listRollouts } from '../rollouts/list-rollouts.ts';
import type { Deps } from '../deps.ts';
import { flagSetOf } from './flag-set.ts';
import { requirementStatus } from '#domain/flags/requirements.ts';

const DAY_MS = 86_400_000;
/** How far back the report looks for each flag's last change, and for rollouts in progress. */
const DEPLOYMENT_HISTORY = 100;
const ROLLOUT_HISTORY = 50;

export interface FlagReportOptions {
  /** The period's start (ISO); default 30 days before now. */
  since?: string;
  thresholds: FlagReportThresholds;
}

/** The flags at an environment's HEAD. */
const flagsAtHead = async (
  deps: Deps,
  catalog: Catalog,
  environment: string,
): Promise<Record<string, FlagDefinition>> => {
  const head = await requireHead(deps, environment);
  const snapshot = await deps.store.snapshots.getSnapshot(head.snapshot);
  return flagSetOf(catalog, environment, head.version, snapshot).flags;
};

/** Each flag's newest change among the environment's recent deployments (absent: older than them). */
const lastChanges = async (
  deps: Deps,
  environment: string,
  keys: readonly string[],
): Promise<Map<string, FlagChange>> => {
  const snapshots = new Map<string, Promise<Snapshot>>();
  const load = (hash: string): Promise<Snapshot> => {
    let loaded = snapshots.get(hash);
    if (loaded === undefined) {
      loaded = deps.store.snapshots.getSnapshot(hash);
      snapshots.set(hash, loaded);
    }
    return loaded;
  };
  const changes = new Map<string, FlagChange>();
  for (const record of await deps.store.environments.listDeployments(environment, DEPLOYMENT_HISTORY)) {
    const pending = keys.filter((key) => !changes.has(key));
    if (pending.length === 0) break;
    const [after, before] = await Promise.all([load(record.snapshot), load(record.previousSnapshot)]);
    for (const key of pending) {
      if (canonicalJson(after.values[key] ?? null) === canonicalJson(before.values[key] ?? null)) continue;
      const bundle = record.bundle ? `${record.bundle.name}@${record.bundle.version}` : undefined;
      changes.set(key, {
        deployment: record.id,
        ...(bundle === undefined ? {} : { bundle }),
        principal: record.principal,
        at: record.at,
      });
    }
  }
  return changes;
};

/**
 * What rollouts still running may change: a deploy phase its whole environments, a flag phase only
 * the flag it ramps there.
 */
const runningChanges = async (
  deps: Deps,
): Promise<{ environments: string[]; flags: { environment: string; flag: string }[] }> => {
  const phases = (await listRollouts(deps, ROLLOUT_HISTORY))
    .filter((rollout) => !isTerminal(rollout.status))
    .flatMap((rollout) => rollout.strategy?.phases ?? []);
  return {
    environments: [...new Set(phases.filter((p) => p.flag === undefined).flatMap((p) => p.environments))],
    flags: phases.flatMap(({ flag, environments }) =>
      flag === undefined ? [] : environments.map((environment) => ({ environment, flag: flag.key })),
    ),
  };
};

/** `GET /environments/{env}/flags/report`: every flag of HEAD with its telemetry, history and findings. */
export const buildFlagReport = async (
  deps: Deps,
  catalog: Catalog,
  environment: string,
  options: FlagReportOptions,
): Promise<FlagReport> => {
  requireEnvironment(catalog, environment);
  const at = deps.now().getTime();
  const since = options.since === undefined ? at - 30 * DAY_MS : Date.parse(options.since);
  const from = hourBucketOf(Math.min(since, at - options.thresholds.unusedDays * DAY_MS));
  const to = hourBucketOf(at);
  const names = catalog.environments.map((e) => e.name);
  const [flags, peers, mine, counts, services, rollouts] = await Promise.all([
    flagsAtHead(deps, catalog, environment),
    Promise.all(
      names
        .filter((name) => name !== environment)
        .map(async (name) => ({ environment: name, flags: await flagsAtHead(deps, catalog, name) })),
    ),
    deps.store.flagMetrics.list(environment, from, to),
    Promise.all(names.map((name) => deps.store.flagMetrics.list(name, hourBucketOf(since), to))),
    deps.store.environments.listServices(environment),
    runningChanges(deps),
  ]);
  const keys = Object.keys(flags);
  const changes = await lastChanges(deps, environment, keys);
  const running = Object.fromEntries(services.map((s) => [s.service, s.version]));
  return flagReport({
    environment,
    at: new Date(at).toISOString(),
    since: new Date(since).toISOString(),
    thresholds: options.thresholds,
    evaluatedAnywhere: [...new Set(counts.flat().map((n) => n.flag))],
    rolloutEnvironments: rollouts.environments,
    rampingFlags: rollouts.flags,
    flags: keys.map((key) => {
      const definition = flags[key] as FlagDefinition;
      const change = changes.get(key);
      return {
        key,
        definition,
        ...(change === undefined ? {} : { lastChange: change }),
        requirements: requirementStatus(definition, running),
        counts: mine.filter((c) => c.flag === key),
        peers: peers.map((p) => ({
          environment: p.environment,
          ...(Object.hasOwn(p.flags, key) ? { definition: p.flags[key] } : {}),
        })),
      };
    }),
  });
};
