import type { Command } from 'commander';
import { lazy } from '../lazy.ts';

export const registerBundle = (program: Command): void => {
  const bundle = program.command('bundle').description('versioned, sealed units of configuration change');

  bundle
    .command('validate <file>')
    .description('check a bundle file; offline with --catalog, else against the API (and --env)')
    .option(
      '--env <env>',
      'also check the rules of this environment (services, dependencies, release conflicts)',
    )
    .option('--catalog <file>', 'validate offline against this catalog file, without a server')
    .action(lazy(async () => (await import('../actions/bundle.ts')).validate));

  bundle
    .command('push <file>')
    .description('seal and push a bundle file; pushing the same content again is a no-op')
    .option('--no-source', 'do not record the git repository, commit and path the file comes from')
    .action(lazy(async () => (await import('../actions/bundle.ts')).push));

  bundle
    .command('list')
    .description('pushed bundles')
    .option('--release <release>', 'only this release')
    .option('--name <name>', 'only versions of this bundle')
    .action(lazy(async () => (await import('../actions/bundle.ts')).list));

  bundle
    .command('show <ref>')
    .description('one pushed bundle, e.g. checkout-timeouts@3')
    .action(lazy(async () => (await import('../actions/bundle.ts')).show));
};
