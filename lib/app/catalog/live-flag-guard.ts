import type { Catalog } from '#domain/catalog/catalog.ts';
import { flagsAtRisk, liveFlagProblems } from '#domain/catalog/live-flags.ts';
import { validationFailed } from '#domain/core/errors.ts';
import type { Deps } from '../deps.ts';

/**
 * Refuse (422, nothing written) a catalog that removes or retypes a flag some environment's HEAD
 * holds. Reads HEADs and snapshots only when the change touches a flag at all.
 */
export const requireLiveFlagsKept = async (
  deps: Deps,
  previous: Catalog | undefined,
  next: Catalog,
): Promise<void> => {
  const risky = flagsAtRisk(previous, next);
  if (previous === undefined || risky.length === 0) return;
  const live = new Map<string, Set<string>>();
  for (const { name } of previous.environments) {
    const head = await deps.store.environments.getHead(name);
    if (head === undefined || head.version === 0) continue;
    const snapshot = await deps.store.snapshots.getSnapshot(head.snapshot);
    live.set(name, new Set(risky.filter((key) => snapshot.values[key] !== undefined)));
  }
  const problems = liveFlagProblems(previous, next, live);
  if (problems.length > 0) throw validationFailed('The catalog changes flags that are live.', problems);
};
