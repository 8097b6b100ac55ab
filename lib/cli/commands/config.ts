import { Option, type Command } from 'commander';
import { segment } from '../api-client.ts';
import { contextOf } from '../context.ts';

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
    .action(async (options: { env: string; format?: string; prefix?: string }, command: Command) => {
      const ctx = contextOf(command);
      const format = options.format ?? 'json';
      const response = await ctx.client().request('GET', `/environments/${segment(options.env)}/config`, {
        query: { format, prefix: options.prefix },
      });
      // The body as served: JSON is the flat map (also under --json), yaml and dotenv are text.
      ctx.out.raw(
        response.text.endsWith('\n') || response.text === '' ? response.text : `${response.text}\n`,
      );
    });
};
