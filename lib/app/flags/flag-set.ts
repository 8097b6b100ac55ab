import type { Catalog } from '#domain/catalog/catalog.ts';
import { indexCatalog } from '#domain/catalog/catalog-index.ts';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import { notFound } from '#domain/core/errors.ts';
import type { Segment } from '#domain/flags/constraint.ts';
import { evaluateAll } from '#domain/flags/evaluate-all.ts';
import type { KeyedResult } from '#domain/flags/evaluate-all.ts';
import { evaluateKey } from '#domain/flags/evaluate.ts';
import type { EvaluationContext } from '#domain/flags/context.ts';
import { flagDefinitionSchema } from '#domain/flags/flag.ts';
import type { FlagDefinition } from '#domain/flags/flag.ts';
import { buildFlagSet, flagEnvironment } from '#api/flags/flag-set.ts';
import type { FlagSet } from '#api/flags/flag-set.ts';
import { requireEnvironment, requireHead } from '../environments/environment-context.ts';
import type { Deps } from '../deps.ts';

/**
 * The flags of a snapshot: the catalog's flag keys it holds, with defaults applied, and the catalog
 * segments their rules reference. Definitions were validated when deployed; one that no longer
 * parses (a catalog change since) is left out rather than served half-read.
 */
export const flagSetOf = (
  catalog: Catalog,
  environment: string,
  version: number,
  snapshot: Snapshot,
  services: Readonly<Record<string, string>> = {},
): FlagSet => {
  const flags: Record<string, FlagDefinition> = {};
  for (const key of [...indexCatalog(catalog).flags.keys()].sort()) {
    const parsed = flagDefinitionSchema.safeParse(snapshot.values[key]);
    if (snapshot.values[key] !== undefined && parsed.success) flags[key] = parsed.data;
  }
  const all = catalog.segments ?? {};
  const segments: Record<string, Segment> = {};
  for (const name of Object.values(flags)
    .flatMap((flag) => flag.rules.flatMap((rule) => rule.segments))
    .sort())
    if (Object.hasOwn(all, name)) segments[name] = all[name] as Segment;
  return buildFlagSet({ environment, version, flags, segments, services });
};

/** Service → version reported by CI/CD in the environment. */
export const reportedServices = async (deps: Deps, environment: string): Promise<Record<string, string>> =>
  Object.fromEntries(
    (await deps.store.environments.listServices(environment)).map((s) => [s.service, s.version]),
  );

/** `GET /environments/{env}/flags`: the flag set of the environment's HEAD, with the services it requires. */
export const readFlagSet = async (deps: Deps, catalog: Catalog, environment: string): Promise<FlagSet> => {
  requireEnvironment(catalog, environment);
  const head = await requireHead(deps, environment);
  const [snapshot, services] = await Promise.all([
    deps.store.snapshots.getSnapshot(head.snapshot),
    reportedServices(deps, environment),
  ]);
  return flagSetOf(catalog, environment, head.version, snapshot, services);
};

/** One flag's definition in a flag set, or not-found naming it. */
export const requireFlag = (set: FlagSet, key: string): FlagDefinition => {
  const flag = Object.hasOwn(set.flags, key) ? set.flags[key] : undefined;
  if (flag === undefined)
    throw notFound(`Flag ${key} is not set in ${set.environment}.`, { environment: set.environment, key });
  return flag;
};

/** Evaluate one flag (or every flag) of a set for a context, at the deps' clock. */
export const evaluateFlag = (
  deps: Deps,
  set: FlagSet,
  key: string,
  context: EvaluationContext,
): KeyedResult => ({
  key,
  ...evaluateKey(key, context, flagEnvironment(set, deps.now().getTime())),
});

export const evaluateFlags = (deps: Deps, set: FlagSet, context: EvaluationContext): KeyedResult[] =>
  evaluateAll(context, flagEnvironment(set, deps.now().getTime()));
