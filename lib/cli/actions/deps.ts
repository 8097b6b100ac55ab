import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { DependenciesResponse, DependencyFormat } from '#api/dependencies.ts';
import type { GraphPath } from '#domain/dependencies/focus.ts';
import { contextOf, type CommandContext } from '../context.ts';
import { graphPage } from '../deps-graph-page.ts';
import { usageError } from '../exit-codes.ts';
import { formatPath } from '../impact-format.ts';

export interface GraphOptions {
  focus?: string;
  depth?: string;
  kinds?: string;
  format?: DependencyFormat | 'html';
  out?: string;
  impact?: string;
}

/** `convoy deps graph`: the API draws the picture; JSON is printed as the API sends it. */
export const graph = async (options: GraphOptions, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const format = options.format ?? (ctx.json ? 'json' : 'dot');
  if (options.impact !== undefined && format !== 'html')
    throw usageError('--impact goes with --format html.', 'Use `convoy impact` for the impact as text.');
  if (format === 'html') {
    await writeGraph(ctx, options.out, await graphPage(ctx.client(), options));
    return;
  }
  const query: Record<string, string> = { format };
  if (options.focus !== undefined) query.focus = options.focus;
  if (options.depth !== undefined) query.depth = options.depth;
  if (options.kinds !== undefined) query.kinds = options.kinds;
  const client = ctx.client();
  const text =
    format === 'json'
      ? `${JSON.stringify(await client.call<DependenciesResponse>('GET', '/dependencies', { query }), null, 2)}\n`
      : (await client.request('GET', '/dependencies', { query })).text;
  await writeGraph(ctx, options.out, text);
};

const writeGraph = async (ctx: CommandContext, out: string | undefined, text: string): Promise<void> => {
  if (out === undefined) {
    ctx.out.raw(text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  await writeFile(out, text).catch((error: unknown) => {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw usageError(`Cannot write ${out} (${reason}).`);
  });
  ctx.out.note(`Graph written to ${out}.`);
};

/** `convoy deps why <from> <to>`: the shortest path, one hop a line. */
export const why = async (from: string, to: string, _options: unknown, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const path = await ctx.client().call<GraphPath>('GET', '/dependencies/path', { query: { from, to } });
  if (ctx.json) {
    ctx.out.data(path);
    return;
  }
  ctx.out.raw(formatPath(path));
};
