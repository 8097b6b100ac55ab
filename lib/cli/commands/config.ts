import { Option, type Command } from 'commander';
import { lazy } from '../lazy.ts';

export const registerConfig = (program: Command): void => {
  const config = program.command('config').description("an environment's live configuration");
  config
    .command('get')
    .description('print the resolved configuration of an environment, as the API serves it')
    .requiredOption('--env <env>', 'environment')
    .addOption(
      new Option('--format <format>', 'json (flat key → value), yaml or dotenv').choices([
        'json',
        'yaml',
        'dotenv',
      ]),
    )
    .option('--prefix <prefix>', 'only keys under this prefix, e.g. payments or payments.checkout')
    .action(lazy(async () => (await import('../actions/config.ts')).get));
};
