import type { Command } from 'commander';
import { segment } from '#api/client.ts';
import { contextOf } from '../context.ts';

/** `convoy config get`. */
export const get = async (
  options: { env: string; format?: string; prefix?: string },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  const format = options.format ?? 'json';
  const response = await ctx.client().request('GET', `/environments/${segment(options.env)}/config`, {
    query: { format, prefix: options.prefix },
  });
  // The body as served: JSON is the flat map (also under --json), yaml and dotenv are text.
  ctx.out.raw(response.text.endsWith('\n') || response.text === '' ? response.text : `${response.text}\n`);
};
