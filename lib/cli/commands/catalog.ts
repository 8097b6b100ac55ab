import type { Command } from 'commander';
import { contextOf } from '../context.ts';
import { readInputFile } from '../read-input.ts';
import type { Catalog } from '../../domain/catalog/catalog.ts';
import type { Problem } from '../../domain/core/problem.ts';

interface CatalogView {
  version: number;
  hash: string;
  catalog: Catalog;
}

export const registerCatalog = (program: Command): void => {
  const catalog = program
    .command('catalog')
    .description('the catalog: teams, parameters, services, environments, roles');

  catalog
    .command('apply <file>')
    .description('validate and apply a catalog file (YAML or JSON)')
    .option('--if-match <version>', 'apply only if the current catalog version is this one')
    .action(async (file: string, options: { ifMatch?: string }, command: Command) => {
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
    });

  catalog
    .command('show')
    .description('print the current catalog (YAML; --json for the API payload)')
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(command);
      const view = await ctx.client().call<CatalogView>('GET', '/catalog');
      if (ctx.json) {
        ctx.out.data(view);
        return;
      }
      ctx.out.line(ctx.out.style('dim', `# catalog version ${view.version} (${view.hash.slice(0, 12)})`));
      const { stringify } = await import('yaml');
      ctx.out.raw(stringify(view.catalog));
    });
};
