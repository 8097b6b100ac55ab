import { compileWindows } from '#domain/freeze/freeze-status.ts';
import { evaluateStage, type StageConditionResult } from '#domain/pipeline/stage-condition.ts';
import type { Deps } from '../deps.ts';

/** The stage condition now, against the stored catalog and freeze calendar. */
export const checkStage = async (
  deps: Deps,
  environments: readonly string[],
): Promise<StageConditionResult> => {
  const stored = await deps.store.catalogs.getCatalog();
  const known = new Set(stored?.catalog.environments.map((env) => env.name) ?? []);
  const compiled = compileWindows(await deps.store.freezes.listWindows());
  return evaluateStage(compiled, known, environments, deps.now().toISOString());
};
