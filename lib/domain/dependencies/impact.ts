import { namespaceOf } from '../core/names.ts';
import { affectedBy } from './affected.ts';
import { coordinationPlan } from './coordination.ts';
import type { DependencyGraph, GraphNode } from './graph-model.ts';
import { edgesIn, edgesOut, nameOf, nodeId } from './graph-model.ts';
import type { ChangeSet, FreezeHit, Impact, ImpactOptions, ServiceImpact } from './impact-model.ts';
import { otherBundles, rolloutConflicts } from './conflicts.ts';
import { riskSummary } from './risk-summary.ts';

const DAY_MS = 86_400_000;
const sorted = (items: Iterable<string>): string[] => [...new Set(items)].sort();

/** The change set's node ids that exist, and the names that do not. */
const resolveChangeSet = (graph: DependencyGraph, changeSet: ChangeSet) => {
  const kind = 'bundles' in changeSet ? 'bundle' : 'key';
  const names = 'bundles' in changeSet ? changeSet.bundles : changeSet.keys;
  const known = sorted(names.map((name) => nodeId(kind, name)).filter((id) => graph.nodes.has(id)));
  const unknown = sorted(names.filter((name) => !graph.nodes.has(nodeId(kind, name))));
  const bundles = kind === 'bundle' ? known : [];
  const changed =
    kind === 'key'
      ? known
      : sorted(
          bundles.flatMap((id) =>
            edgesOut(graph, id)
              .filter((e) => e.kind === 'changes')
              .map((e) => e.to),
          ),
        );
  return { bundles, changed, unknown };
};

const servicesReading = (
  graph: DependencyGraph,
  keys: readonly string[],
  environment?: string,
): ServiceImpact[] => {
  const read = new Map<string, string[]>();
  for (const key of keys) {
    const keyName = nameOf(key);
    for (const edge of edgesIn(graph, key)) {
      if (edge.kind !== 'consumes') continue;
      const list = read.get(edge.from);
      if (list) list.push(keyName);
      else read.set(edge.from, [keyName]);
    }
  }
  return [...read.keys()].sort().map((id) => {
    const node = graph.nodes.get(id) as GraphNode;
    const runs = edgesIn(graph, id)
      .filter((e) => e.kind === 'runs' && (environment === undefined || nameOf(e.from) === environment))
      .map((e) => ({ environment: nameOf(e.from), version: e.version as string }))
      .sort((a, b) => (a.environment < b.environment ? -1 : 1));
    const keysRead = sorted(read.get(id) as string[]);
    return {
      service: node.name,
      ...(node.team === undefined ? {} : { team: node.team }),
      keys: keysRead,
      runs,
    };
  });
};

/**
 * What a change set touches and how to ship it: the keys it changes and those that read them
 * through references (with the path), the services consuming them with their teams and where they
 * run, flags involved, other bundles and running rollouts on the same keys, freezes over the
 * scope, the coordination plan and a one-line risk summary. Pure: time, rollouts and freezes are
 * inputs. Linear in the part of the graph it visits.
 */
export const impact = (graph: DependencyGraph, changeSet: ChangeSet, options: ImpactOptions): Impact => {
  const { environment, now } = options;
  const { bundles, changed, unknown } = resolveChangeSet(graph, changeSet);
  const affected = affectedBy(graph, changed, environment);
  const affectedKeys = affected.filter((a) => a.id.startsWith('key:')).map((a) => a.id);
  const flagIds = affected.filter((a) => a.id.startsWith('flag:')).map((a) => a.id);
  const keys = [...changed, ...affectedKeys];
  const services = servicesReading(graph, keys, environment);
  const own = new Set(bundles);
  const authors = sorted(
    options.author === undefined
      ? bundles.flatMap((id) => (graph.nodes.get(id) as GraphNode).team ?? [])
      : [options.author],
  );
  const teams = sorted(
    [...keys, ...flagIds]
      .flatMap((id) => (graph.nodes.get(id) as GraphNode).team ?? [])
      .concat(services.flatMap((s) => s.team ?? [])),
  );
  const environments =
    environment === undefined
      ? sorted(services.flatMap((s) => s.runs.map((r) => r.environment)))
      : [environment];
  const others = otherBundles(graph, own, changed, affectedKeys);
  const rollouts = rolloutConflicts(graph, options, own, new Set(keys));
  const horizon = new Date(now.getTime() + (options.horizonDays ?? 14) * DAY_MS);
  const scope = {
    environments,
    namespaces: sorted(keys.map((id) => namespaceOf(nameOf(id)))),
    teams,
    from: now,
    to: horizon,
  };
  const freezes = (options.freezes?.(scope) ?? [])
    .map((hit: FreezeHit) => {
      const startsIn = hit.startsAt.getTime() - now.getTime();
      return { ...hit, inDays: Math.max(0, Math.floor(startsIn / DAY_MS)), active: startsIn <= 0 };
    })
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.window < b.window ? -1 : 1));
  const plan = coordinationPlan(graph, bundles, teams, authors, environment);
  const summary = riskSummary({
    teams: new Set([...teams, ...plan.authors, ...plan.signOff]).size,
    services: services.length,
    environments: environments.length,
    bundles: others.length,
    rollouts: rollouts.length,
    cycles: plan.cycles.length,
    unmet: plan.order.filter((step) => step.unmet).length,
    freezes: freezes[0] && { count: freezes.length, soonest: freezes[0] },
  });
  return {
    unknown,
    changed: changed.map((id) => nameOf(id)),
    affected,
    flags: sorted(flagIds.map((id) => nameOf(id))),
    services,
    teams,
    environments,
    bundles: others,
    rollouts,
    freezes,
    plan,
    summary,
  };
};
