import type { Command } from 'commander';
import type { Catalog } from '#domain/catalog/catalog.ts';
import type { Problem } from '#domain/core/problem.ts';
import { contextOf } from '../context.ts';
import { readInputFile } from '../read-input.ts';

interface CatalogView {
  version: number;
  hash: string;
  catalog: Catalog;
}

/** `convoy catalog apply <file>`. */
export const apply = async (file: string, options: { ifMatch?: string }, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const input = await readInputFile(file);
  const result = await ctx
    .client()
    .call<{ version: number; hash: string; warnings?: Problem[] }>('PUT', '/catalog', {
      text: input.text,
      contentType: input.contentType,
      ...(options.ifMatch === undefined ? {} : { headers: { 'if-match': `"${options.ifMatch}"` } }),
    });
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  ctx.out.line(
    `${ctx.out.style('green', '✓')} catalog version ${result.version} applied (${result.hash.slice(0, 12)})`,
  );
  if (result.warnings && result.warnings.length > 0) ctx.out.problems(result.warnings);
};

/** `convoy catalog show`. */
export const show = async (_options: unknown, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const view = await ctx.client().call<CatalogView>('GET', '/catalog');
  if (ctx.json) {
    ctx.out.data(view);
    return;
  }
  ctx.out.line(ctx.out.style('dim', `# catalog version ${view.version} (${view.hash.slice(0, 12)})`));
  const { stringify } = await import('yaml');
  ctx.out.raw(stringify(view.catalog));
};
