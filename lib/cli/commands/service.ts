import type { Command } from 'commander';
import { lazy } from '../lazy.ts';

export const registerService = (program: Command): void => {
  const service = program
    .command('service')
    .description('service versions deployed per environment (reported by CI/CD)');
  service
    .command('report <service> <version>')
    .description('record that <service> runs <version> in an environment')
    .requiredOption('--env <env>', 'environment')
    .action(lazy(async () => (await import('../actions/service.ts')).report));
};
