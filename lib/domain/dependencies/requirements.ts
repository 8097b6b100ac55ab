import semver from 'semver';
import type { DependencyGraph, GraphNode } from './graph-model.ts';
import { edgesIn } from './graph-model.ts';

export interface UnmetRequirement {
  environment: string;
  /** The running version, absent when the service is not reported there. */
  version?: string;
  /** The ranges it fails. */
  ranges: string[];
}

/**
 * Where a required service runs a version outside the ranges the plan's bundles require (only
 * in `environment` when given, where not running at all also counts).
 */
export const unmetRequirements = (
  graph: DependencyGraph,
  service: string,
  ranges: readonly string[],
  environment?: string,
): UnmetRequirement[] => {
  const runs = edgesIn(graph, service).filter((e) => e.kind === 'runs');
  const found: UnmetRequirement[] = [];
  for (const edge of runs) {
    const where = (graph.nodes.get(edge.from) as GraphNode).name;
    if (environment !== undefined && where !== environment) continue;
    const version = edge.version as string;
    const failed = ranges.filter(
      (range) => semver.valid(version) === null || !semver.satisfies(version, range),
    );
    if (failed.length > 0) found.push({ environment: where, version, ranges: [...failed].sort() });
  }
  if (environment !== undefined && !runs.some((e) => e.from === `environment:${environment}`))
    found.push({ environment, ranges: [...ranges].sort() });
  return found.sort((a, b) => (a.environment < b.environment ? -1 : 1));
};
