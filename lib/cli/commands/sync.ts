import type { Command } from 'commander';
import { lazy } from '../lazy.ts';

export const registerSync = (program: Command): void => {
  program
    .command('sync')
    .description("bring an environment's AppConfig sink to its HEAD (publish again when it lags or failed)")
    .requiredOption('--env <env>', 'environment')
    .action(lazy(async () => (await import('../actions/sync.ts')).sync));
};
