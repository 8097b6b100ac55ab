import { affectedBy } from '#domain/dependencies/affected.ts';
import type { DependencyGraph } from '#domain/dependencies/graph-model.ts';
import { edgesIn, edgesOut, nameOf, nodeId } from '#domain/dependencies/graph-model.ts';
import type { EmbeddedImpact } from './page-data.ts';

/** The node ids an impact touches: changed and affected keys and flags, services, teams, environments. */
export interface ImpactSet {
  label: string;
  summary: string;
  /** The change itself (a bundle or key): drawn apart from what it reaches. */
  sources: Set<string>;
  ids: Set<string>;
}

/** The ids of `POST /impact`'s answer, as embedded by the CLI. */
export const impactSetOf = (impact: EmbeddedImpact): ImpactSet => {
  const ids = new Set<string>();
  for (const key of impact.changed) ids.add(nodeId('key', key));
  for (const node of impact.affected) ids.add(node.id);
  for (const flag of impact.flags) ids.add(nodeId('flag', flag));
  for (const team of impact.teams) ids.add(nodeId('team', team));
  for (const env of impact.environments) ids.add(nodeId('environment', env));
  for (const service of impact.services) ids.add(nodeId('service', service.service));
  const sources = new Set(/^[^@\s]+@[^@\s]+$/.test(impact.of) ? [nodeId('bundle', impact.of)] : []);
  return { label: impact.of, summary: impact.summary, sources, ids };
};

/**
 * The impact of changing one node, computed in the page from the embedded graph with the domain's
 * own walk (lib/domain/dependencies/affected.ts): a bundle changes its keys, a key or flag changes
 * itself; then what references them, the services consuming them, their teams and environments.
 * A service's is what requires it (impactOfService).
 */
/**
 * The impact of a new version of a service: the bundles and flags requiring it (a version range
 * that the new version must still satisfy), their teams, and the environments running it.
 */
const impactOfService = (graph: DependencyGraph, id: string): ImpactSet => {
  const ids = new Set<string>();
  const teams = new Set<string>();
  let bundles = 0;
  let flags = 0;
  for (const edge of edgesIn(graph, id)) {
    if (edge.kind === 'runs') ids.add(edge.from);
    if (edge.kind !== 'requires') continue;
    ids.add(edge.from);
    if (edge.from.startsWith('bundle:')) bundles += 1;
    else flags += 1;
    const team = graph.nodes.get(edge.from)?.team;
    if (team !== undefined) teams.add(team);
  }
  const environments = [...ids].filter((i) => i.startsWith('environment:')).length;
  for (const team of teams) ids.add(nodeId('team', team));
  const summary =
    `a new version must satisfy ${bundles} bundle(s) and ${flags} flag(s) of ${teams.size} team(s) ` +
    `requiring it; runs in ${environments} environment(s)`;
  return { label: nameOf(id), summary, sources: new Set([id]), ids };
};

export const impactOfNode = (graph: DependencyGraph, id: string): ImpactSet | undefined => {
  const node = graph.nodes.get(id);
  if (node?.kind === 'service') return impactOfService(graph, id);
  if (node === undefined || !['bundle', 'key', 'flag'].includes(node.kind)) return undefined;
  const changed =
    node.kind === 'bundle'
      ? edgesOut(graph, id)
          .filter((e) => e.kind === 'changes')
          .map((e) => e.to)
      : [id];
  const ids = new Set<string>(changed);
  for (const affected of affectedBy(graph, changed)) ids.add(affected.id);
  const teams = new Set<string>();
  const environments = new Set<string>();
  const services = new Set<string>();
  for (const key of [...ids]) {
    const team = graph.nodes.get(key)?.team;
    if (team !== undefined) teams.add(team);
    for (const edge of edgesIn(graph, key)) if (edge.kind === 'consumes') services.add(edge.from);
  }
  for (const service of services) {
    ids.add(service);
    const team = graph.nodes.get(service)?.team;
    if (team !== undefined) teams.add(team);
    for (const edge of edgesIn(graph, service)) if (edge.kind === 'runs') environments.add(edge.from);
  }
  for (const team of teams) ids.add(nodeId('team', team));
  for (const env of environments) ids.add(env);
  const keys = [...ids].filter((i) => i.startsWith('key:')).length;
  const summary =
    `changes ${changed.length} key(s), reaches ${keys} key(s), ` +
    `${services.size} service(s) of ${teams.size} team(s) in ${environments.size} environment(s)`;
  return { label: nameOf(id), summary, sources: new Set([id]), ids };
};
