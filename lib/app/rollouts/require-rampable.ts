import type { SealedBundle } from '#domain/bundles/bundle.ts';
import { applyBundle } from '#domain/bundles/snapshot.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { validationFailed } from '#domain/core/errors.ts';
import type { JsonValue } from '#domain/core/json.ts';
import type { FlagDefinitions } from '#domain/rollout/flag-step-rules.ts';
import type { Strategy } from '#domain/rollout/strategy.ts';
import { validateStrategy } from '#domain/rollout/validate-strategy.ts';
import type { Deps } from '../deps.ts';

/**
 * Each environment a flag phase ramps, with its flag definitions as the ramp will find them: HEAD's
 * snapshot, with the rollout's bundle applied when an earlier phase deploys it there.
 */
export const rampDefinitions = async (
  deps: Deps,
  strategy: Strategy,
  bundle: SealedBundle,
): Promise<FlagDefinitions> => {
  const definitions: Record<string, Record<string, JsonValue>> = {};
  const deployed = new Set<string>();
  for (const phase of strategy.phases) {
    for (const environment of phase.environments) {
      if (!phase.flag) {
        deployed.add(environment);
        continue;
      }
      if (definitions[environment]) continue;
      const head = await deps.store.environments.getHead(environment);
      if (!head) continue;
      const snapshot = await deps.store.snapshots.getSnapshot(head.snapshot);
      definitions[environment] = (
        deployed.has(environment) ? applyBundle(snapshot, bundle) : snapshot
      ).values;
    }
  }
  return definitions;
};

/** A rollout whose flag phases cannot ramp (no single rollout rule, an ambiguous target…) never starts. */
export const requireRampable = async (
  deps: Deps,
  catalog: Catalog,
  strategy: Strategy,
  bundle: SealedBundle,
): Promise<void> => {
  if (!strategy.phases.some((phase) => phase.flag)) return;
  const validation = validateStrategy(strategy, catalog, await rampDefinitions(deps, strategy, bundle));
  const errors = validation.problems.filter((p) => (p.severity ?? 'error') === 'error');
  if (errors.length > 0)
    throw validationFailed(`The strategy's flag phases cannot ramp: ${errors.length} problem(s).`, errors);
};
