import type { Command } from 'commander';
import { segment } from '#api/client.ts';
import { contextOf } from '../context.ts';

/** `convoy service report`. */
export const report = async (
  name: string,
  version: string,
  options: { env: string },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  const result = await ctx
    .client()
    .call<{ environment: string; service: string; version: string; reportedAt: string }>(
      'PUT',
      `/environments/${segment(options.env)}/services/${segment(name)}`,
      { json: { version } },
    );
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  ctx.out.line(
    `${ctx.out.style('green', '✓')} ${result.service} ${result.version} reported in ${result.environment}`,
  );
};
