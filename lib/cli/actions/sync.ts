import type { Command } from 'commander';
import { segment } from '#api/client.ts';
import type { SyncResponse } from '#api/deployments.ts';
import { syncSummary } from '../sync-format.ts';
import { contextOf } from '../context.ts';
import { exitCodes } from '../exit-codes.ts';

/** `convoy sync`. */
export const sync = async (options: { env: string }, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const result = await ctx.client().call<SyncResponse>('POST', `/environments/${segment(options.env)}/sync`);
  const summary = syncSummary(result);
  if (!summary.ok) ctx.setExitCode(exitCodes.retry);
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  const mark = summary.ok ? ctx.out.style('green', '✓') : ctx.out.style('red', '✗');
  ctx.out.line(`${mark} ${summary.text}`);
  if (!summary.ok)
    ctx.out.note('Retry with `convoy sync` once the cause is fixed or the deployment in progress ends.');
};
