import { randomBytes } from 'node:crypto';
import { ConvoyError, notFound } from '#domain/core/errors.ts';
import { sha256 } from '#domain/core/json.ts';
import type { Problem } from '#domain/core/problem.ts';
import type { Strategy } from '#domain/rollout/strategy.ts';
import { validateStrategy } from '#domain/rollout/validate-strategy.ts';
import type { StoredCatalog } from '#store/ports.ts';
import type { Deps } from '../deps.ts';
import { logger } from '../logger.ts';
import { rolloutWorkflowInput } from './rollout-stream.ts';
import type { RolloutView } from '#api/rollout-view.ts';

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
