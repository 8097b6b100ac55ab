import type { Command } from 'commander';
import type { SinkStatus } from '../../domain/environments/sink-status.ts';
import { segment } from '../api-client.ts';
import { contextOf } from '../context.ts';
import { exitCodes } from '../exit-codes.ts';

export interface SyncResponse {
  environment: string;
  head: { version: number; snapshot: string; deploymentId: string | null };
  sinks: { appconfig?: SinkStatus };
  action: 'in-sync' | 'published';
  reason: string;
}

const numbers = (status: SinkStatus): string => {
  const parts = [
    ...(status.versionNumber === undefined ? [] : [`version ${status.versionNumber}`]),
    ...(status.deploymentNumber === undefined ? [] : [`deployment ${status.deploymentNumber}`]),
  ];
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
};

/** One line for people; `ok` is false when the sink did not take HEAD (the pipeline retries later). */
export const syncSummary = (result: SyncResponse): { ok: boolean; text: string } => {
  const status = result.sinks.appconfig;
  const head = `HEAD ${result.head.version}${result.head.deploymentId ? ` (${result.head.deploymentId})` : ''}`;
  if (status === undefined)
    return { ok: true, text: `${result.environment}: nothing to sync: ${result.reason}.` };
  if (status.state === 'failed' || status.state === 'rolled-back') {
    return {
      ok: false,
      text: `${result.environment}: AppConfig is not at ${head}: ${status.state}${numbers(status)}: ${status.message ?? result.reason}`,
    };
  }
  const verb =
    result.action === 'published' ? `published ${head} to AppConfig` : `AppConfig in sync with ${head}`;
  return {
    ok: true,
    text: `${result.environment}: ${verb}: ${status.state}${numbers(status)}; ${result.reason}.`,
  };
};

export const registerSync = (program: Command): void => {
  program
    .command('sync')
    .description("bring an environment's AppConfig sink to its HEAD (publish again when it lags or failed)")
    .requiredOption('--env <env>', 'environment')
    .action(async (options: { env: string }, command: Command) => {
      const ctx = contextOf(command);
      const result = await ctx
        .client()
        .call<SyncResponse>('POST', `/environments/${segment(options.env)}/sync`);
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
    });
};
