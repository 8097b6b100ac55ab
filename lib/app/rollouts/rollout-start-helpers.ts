import { randomBytes } from 'node:crypto';
import { conflict, ConvoyError, notFound } from '#domain/core/errors.ts';
import { sha256 } from '#domain/core/json.ts';
import type { Problem } from '#domain/core/problem.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import type { RolloutState } from '#domain/rollout/state.ts';
import type { Strategy } from '#domain/rollout/strategy.ts';
import { validateStrategy } from '#domain/rollout/validate-strategy.ts';
import type { StoredCatalog } from '#store/ports.ts';
import type { Deps } from '../deps.ts';
import { logger } from '../logger.ts';
import { rolloutWorkflowInput } from './rollout-stream.ts';
import { rolloutView, type RolloutView } from '#api/rollout-view.ts';

/** What starting a rollout of a bundle and of a release share: ids, the strategy, the workflow. */

export interface StartedRollout {
  rollout: RolloutView;
  /** Strategy warnings (phases out of promotion order, ...); the rollout started anyway. */
  warnings: Problem[];
}

export const randomId = (at: string): string =>
  `ro-${at.slice(0, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex')}`;

/** The same principal and key always name the same rollout, so a retried request finds it. */
export const keyedId = (principal: string, key: string): string =>
  `ro-${sha256(`${principal}\n${key}`).slice(0, 16)}`;

export const resolveStrategy = (
  catalog: StoredCatalog['catalog'],
  input: string | Record<string, unknown>,
): { strategy: Strategy; warnings: Problem[] } => {
  let document: unknown = input;
  if (typeof input === 'string') {
    document = catalog.strategies.find((s) => s.name === input);
    if (document === undefined) {
      const known = catalog.strategies.map((s) => s.name);
      throw notFound(
        `The catalog has no strategy ${input}; it has ${known.length > 0 ? known.join(', ') : 'none'}.`,
        { strategy: input, known },
      );
    }
  }
  const validation = validateStrategy(document, catalog);
  const errors = validation.problems.filter((p) => (p.severity ?? 'error') === 'error');
  const warnings = validation.problems.filter((p) => p.severity === 'warning');
  if (!validation.ok || validation.strategy === undefined) {
    throw new ConvoyError('validation-failed', `The strategy is not valid: ${errors.length} problem(s).`, {
      problems: validation.problems,
      context: { errors, warnings },
    });
  }
  return { strategy: validation.strategy, warnings };
};

export const startWorkflow = async (deps: Deps, rolloutId: string): Promise<void> => {
  try {
    await deps.workflows.start({
      workflow: 'progressive-rollout',
      name: rolloutId,
      input: rolloutWorkflowInput(rolloutId),
    });
  } catch (error) {
    logger.error('rollout workflow start failed', { error: error as Error, rolloutId });
    throw new ConvoyError(
      'unavailable',
      `Rollout ${rolloutId} is recorded but its workflow did not start; retry with the same Idempotency-Key.`,
      { cause: error, context: { rolloutId } },
    );
  }
};

/**
 * A request whose rollout exists already (same Idempotency-Key): the same unit and strategy name is a
 * replay (its workflow is started if it never was), anything else a `conflict` naming what the key
 * started.
 */
export const replayStart = async (
  deps: Deps,
  rolloutId: string,
  same: (state: RolloutState) => boolean,
): Promise<StartedRollout> => {
  const events = await deps.store.rollouts.events(rolloutId);
  const state = reduceRollout(events);
  if (!same(state)) {
    const unit = state.release
      ? `release ${state.release.name}`
      : `${state.bundle?.name}@${state.bundle?.version}`;
    throw conflict(
      `Rollout ${rolloutId} was started by this Idempotency-Key for ${unit} with strategy ${state.strategy?.name}; use a new key for another rollout.`,
      { rolloutId },
    );
  }
  if (state.status === 'pending') await startWorkflow(deps, rolloutId);
  return { rollout: rolloutView(state, events), warnings: [] };
};
