import { affectedNodes, affectedWalk } from './affected.ts';
import { coordinationPlan } from './coordination.ts';
import type { DependencyGraph, GraphNode } from './graph-model.ts';
import { edgesOut, nameOf, nodeId } from './graph-model.ts';
import { KIND_CODE, SLOT, graphIndex, namespaceNumber, scratch } from './graph-index.ts';
import type { ChangeSet, FreezeHit, Impact, ImpactOptions } from './impact-model.ts';
import { rolloutConflicts } from './conflicts.ts';
import { keyReaders } from './key-readers.ts';
import { riskSummary } from './risk-summary.ts';

const DAY_MS = 86_400_000;
const KEY = KIND_CODE.key;
const FLAG = KIND_CODE.flag;
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

/**
 * What a change set touches and how to ship it: the keys it changes and those that read them
 * through references (with the path), the services consuming them with their teams and where they
 * run, flags involved, other bundles and running rollouts on the same keys, freezes over the
 * scope, the coordination plan and a one-line risk summary. Pure: time, rollouts and freezes are
 * inputs. Linear in the part of the graph it visits, over the graph's numbered index (built once
 * per graph).
 */
export const impact = (graph: DependencyGraph, changeSet: ChangeSet, options: ImpactOptions): Impact => {
  const { environment, now } = options;
  const index = graphIndex(graph);
  const { bundles, changed, unknown } = resolveChangeSet(graph, changeSet);
  const changedNumbers = changed.map((id) => index.numberOf.get(id) as number);
  const walk = affectedWalk(index, changedNumbers, environment);
  const affected = affectedNodes(index, walk);
  // The keys: changed ones first, then the affected ones, nearest first.
  const keys = new Int32Array(changedNumbers.length + walk.order.length);
  keys.set(changedNumbers);
  let keyCount = changedNumbers.length;
  const flagNumbers: number[] = [];
  for (const n of walk.order) {
    const kind = index.kinds[n];
    if (kind === KEY) keys[keyCount++] = n;
    else if (kind === FLAG) flagNumbers.push(n);
  }
  const flagIds = flagNumbers.map((n) => index.ids[n] as string);
  const own = new Set(bundles);
  const { services, bundles: others } = keyReaders(
    index,
    keys.subarray(0, keyCount),
    changedNumbers.length,
    own,
    environment,
  );
  const authors = sorted(
    options.author === undefined
      ? bundles.flatMap((id) => (graph.nodes.get(id) as GraphNode).team ?? [])
      : [options.author],
  );
  const teamSeen = new Uint8Array(index.teamNames.length);
  const seeTeam = (n: number): void => {
    const team = index.teams[n] as number;
    if (team !== -1) teamSeen[team] = 1;
  };
  const keyNamespaces = new Int32Array(keyCount);
  for (let k = 0; k < keyCount; k += 1) {
    seeTeam(keys[k] as number);
    keyNamespaces[k] = namespaceNumber(index, keys[k] as number);
  }
  for (const n of flagNumbers) seeTeam(n);
  const teamSet = new Set(index.teamNames.filter((_, t) => teamSeen[t] === 1));
  const namespaceSeen = new Uint8Array(index.namespaceNames.length);
  for (const n of keyNamespaces) namespaceSeen[n] = 1;
  for (const service of services) if (service.team !== undefined) teamSet.add(service.team);
  const teams = [...teamSet].sort();
  const environments =
    environment === undefined
      ? sorted(services.flatMap((s) => s.runs.map((r) => r.environment)))
      : [environment];
  const touched = scratch(index, SLOT.touched, index.size).fill(0);
  for (let k = 0; k < keyCount; k += 1) touched[keys[k] as number] = 1;
  const rollouts = rolloutConflicts(graph, options, own, (id) => {
    const n = index.numberOf.get(id);
    return n !== undefined && touched[n] === 1;
  });
  const horizon = new Date(now.getTime() + (options.horizonDays ?? 14) * DAY_MS);
  const scope = {
    environments,
    namespaces: index.namespaceNames.filter((_, n) => namespaceSeen[n] === 1).sort(),
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
