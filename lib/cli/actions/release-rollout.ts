import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { StartedRolloutView } from '#api/rollout-view.ts';
import { contextOf } from '../context.ts';
import { nameOrDocument } from '../rollout-input.ts';
import { signoffOverrideBody } from './release.ts';
import { printStarted } from './rollout.ts';

/**
 * `convoy release rollout <release> --strategy s [--override-signoffs --reason ...]`: a progressive
 * rollout whose every phase deploys the whole release atomically (`POST /rollouts` with `{ release }`).
 */
export const rollout = async (
  release: string,
  options: {
    strategy: string;
    id?: string;
    idempotencyKey?: string;
    overrideSignoffs?: boolean;
    reason?: string;
  },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  const override = signoffOverrideBody(options);
  const strategy = await nameOrDocument(options.strategy);
  const view = await ctx.client().call<StartedRolloutView>('POST', '/rollouts', {
    json: {
      release,
      strategy: 'name' in strategy ? strategy.name : strategy.document,
      ...(options.id === undefined ? {} : { id: options.id }),
      ...override,
    },
    headers: { 'idempotency-key': options.idempotencyKey ?? randomUUID() },
  });
  printStarted(ctx, view);
};
