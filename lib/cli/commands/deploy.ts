import type { Command } from 'commander';
import { lazy } from '../lazy.ts';

export const registerDeploy = (program: Command): void => {
  program
    .command('deploy <ref>')
    .description('deploy a pushed bundle (name@version) to an environment, atomically')
    .requiredOption('--env <env>', 'target environment')
    .option('--idempotency-key <key>', 'retry-safe key (default: a new key per invocation)')
    .option('--if-match <version>', 'deploy only if HEAD is at this version')
    .option('--override <id>', 'an approved emergency override that lets it through a freeze')
    .action(lazy(async () => (await import('../actions/deploy.ts')).deploy));

  program
    .command('rollback')
    .description('flip HEAD back to the previous snapshot, or to the one a deployment produced (--to)')
    .requiredOption('--env <env>', 'environment')
    .option('--to <deployment>', 'deployment id whose snapshot becomes live again, e.g. dpl-prod-eu-3')
    .option('--override <id>', 'an approved emergency override, when a freeze forbids rollback')
    .action(lazy(async () => (await import('../actions/deploy.ts')).rollback));
};
