import type { Command } from 'commander';
import { lazy } from '../lazy.ts';

export const registerStatus = (program: Command): void => {
  program
    .command('status')
    .description('which bundles are live where: bundles × environments, with HEAD versions and services')
    .action(lazy(async () => (await import('../actions/status.ts')).status));
};
