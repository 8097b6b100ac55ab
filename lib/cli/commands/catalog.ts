import type { Command } from 'commander';
import { lazy } from '../lazy.ts';

export const registerCatalog = (program: Command): void => {
  const catalog = program
    .command('catalog')
    .description('the catalog: teams, parameters, services, environments, roles');

  catalog
    .command('apply <file>')
    .description('validate and apply a catalog file (YAML or JSON)')
    .option('--if-match <version>', 'apply only if the current catalog version is this one')
    .action(lazy(async () => (await import('../actions/catalog.ts')).apply));

  catalog
    .command('show')
    .description('print the current catalog (YAML; --json for the API payload)')
    .action(lazy(async () => (await import('../actions/catalog.ts')).show));
};
