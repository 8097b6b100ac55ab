import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { StartedRolloutView } from '#api/rollout-view.ts';
import { contextOf } from '../context.ts';
import { usageError } from '../exit-codes.ts';
import { startedLines } from '../rollout-format.ts';
import { nameOrDocument } from '../rollout-input.ts';

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
  if (options.overrideSignoffs === true && (options.reason ?? '').trim() === '')
    throw usageError('--override-signoffs needs --reason <text>.', 'Say why, e.g. --reason "hotfix"');
  if (options.overrideSignoffs !== true && options.reason !== undefined)
    throw usageError('--reason goes with --override-signoffs.');
  const strategy = await nameOrDocument(options.strategy);
  const view = await ctx.client().call<StartedRolloutView>('POST', '/rollouts', {
    json: {
      release,
      strategy: 'name' in strategy ? strategy.name : strategy.document,
      ...(options.id === undefined ? {} : { id: options.id }),
      ...(options.overrideSignoffs === true ? { overrideSignoffs: { reason: options.reason } } : {}),
    },
    headers: { 'idempotency-key': options.idempotencyKey ?? randomUUID() },
  });
  if (ctx.json) {
    ctx.out.data(view);
    return;
  }
  const [headline, ...rest] = startedLines(view);
  ctx.out.line(`${ctx.out.style('green', '✓')} ${headline ?? ''}`);
  for (const line of rest) ctx.out.line(`  ${line}`);
  if (view.warnings.length > 0) {
    ctx.out.line();
    ctx.out.line(ctx.out.style('yellow', `${view.warnings.length} warning(s):`));
    ctx.out.problems(view.warnings);
  }
};
