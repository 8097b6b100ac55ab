import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { segment } from '../api-client.ts';
import { contextOf } from '../context.ts';
import { parseRef } from './bundle.ts';

interface ChangeResult {
  deploymentId: string;
  environment: string;
  head: { version: number; snapshot: string };
  rolledBackTo?: string;
  /** The override the change consumed (only when a freeze applied). */
  overrideId?: string;
}

const withOverride = (override: string | undefined): { override?: string } =>
  override === undefined ? {} : { override };

/** How the override named with --override figured: consumed, or not needed (no freeze applied). */
const usedOverride = (override: string | undefined, result: ChangeResult): string => {
  if (result.overrideId !== undefined) return `, through override ${result.overrideId}`;
  return override === undefined ? '' : ` (no freeze applied: override ${override} was not used)`;
};

export const registerDeploy = (program: Command): void => {
  program
    .command('deploy <ref>')
    .description('deploy a pushed bundle (name@version) to an environment, atomically')
    .requiredOption('--env <env>', 'target environment')
    .option('--idempotency-key <key>', 'retry-safe key (default: a new key per invocation)')
    .option('--if-match <version>', 'deploy only if HEAD is at this version')
    .option('--override <id>', 'an approved emergency override that lets it through a freeze')
    .action(
      async (
        ref: string,
        options: { env: string; idempotencyKey?: string; ifMatch?: string; override?: string },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        parseRef(ref);
        const result = await ctx
          .client()
          .call<ChangeResult>('POST', `/environments/${segment(options.env)}/deployments`, {
            json: { bundle: ref, ...withOverride(options.override) },
            headers: {
              'idempotency-key': options.idempotencyKey ?? randomUUID(),
              ...(options.ifMatch === undefined ? {} : { 'if-match': `"${options.ifMatch}"` }),
            },
          });
        if (ctx.json) {
          ctx.out.data(result);
          return;
        }
        ctx.out.line(
          `${ctx.out.style('green', '✓')} ${ref} deployed to ${result.environment}: HEAD ${result.head.version} ` +
            `(${result.head.snapshot.slice(0, 12)}), deployment ${result.deploymentId}${usedOverride(options.override, result)}`,
        );
      },
    );

  program
    .command('rollback')
    .description('flip HEAD back to the previous snapshot, or to the one a deployment produced (--to)')
    .requiredOption('--env <env>', 'environment')
    .option('--to <deployment>', 'deployment id whose snapshot becomes live again, e.g. dpl-prod-eu-3')
    .option('--override <id>', 'an approved emergency override, when a freeze forbids rollback')
    .action(async (options: { env: string; to?: string; override?: string }, command: Command) => {
      const ctx = contextOf(command);
      const result = await ctx
        .client()
        .call<ChangeResult>('POST', `/environments/${segment(options.env)}/rollback`, {
          json: {
            ...(options.to === undefined ? {} : { to: options.to }),
            ...withOverride(options.override),
          },
          headers: { 'idempotency-key': randomUUID() },
        });
      if (ctx.json) {
        ctx.out.data(result);
        return;
      }
      const what =
        options.to === undefined ? 'to the snapshot before its last deployment' : `to ${options.to}`;
      ctx.out.line(
        `${ctx.out.style('green', '✓')} ${result.environment} rolled back ${what}: HEAD ${result.head.version} ` +
          `(${result.head.snapshot.slice(0, 12)}), deployment ${result.deploymentId}${usedOverride(options.override, result)}`,
      );
    });
};
