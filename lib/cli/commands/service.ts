import type { Command } from 'commander';
import { segment } from '../api-client.ts';
import { contextOf } from '../context.ts';

export const registerService = (program: Command): void => {
  const service = program
    .command('service')
    .description('service versions deployed per environment (reported by CI/CD)');
  service
    .command('report <service> <version>')
    .description('record that <service> runs <version> in an environment')
    .requiredOption('--env <env>', 'environment')
    .action(async (name: string, version: string, options: { env: string }, command: Command) => {
      const ctx = contextOf(command);
      const result = await ctx
        .client()
        .call<{ environment: string; service: string; version: string; reportedAt: string }>(
          'PUT',
          `/environments/${segment(options.env)}/services/${segment(name)}`,
          { json: { version } },
        );
      if (ctx.json) {
        ctx.out.data(result);
        return;
      }
      ctx.out.line(
        `${ctx.out.style('green', '✓')} ${result.service} ${result.version} reported in ${result.environment}`,
      );
    });
};
