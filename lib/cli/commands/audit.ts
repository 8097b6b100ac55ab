import type { Command } from 'commander';
import { lazy } from '../lazy.ts';

export const registerAudit = (program: Command): void => {
  const audit = program.command('audit').description('the hash-chained audit trail');

  audit
    .command('list')
    .description('audit events, oldest first')
    .option('--env <env>', 'only the chain of this environment')
    .option('--from <instant>', 'from this ISO 8601 instant, e.g. 2026-11-23T00:00:00Z')
    .option('--to <instant>', 'up to this ISO 8601 instant')
    .option('--limit <n>', 'at most this many events (default 100)')
    .action(lazy(async () => (await import('../actions/audit.ts')).list));

  audit
    .command('verify')
    .description('re-check every hash chain (or one environment’s); exit 1 names the first bad event')
    .option('--env <env>', 'only the chain of this environment')
    .action(lazy(async () => (await import('../actions/audit.ts')).verify));

  audit
    .command('checkpoint')
    .description('sign a digest of every chain head and keep it in write-once storage (release managers)')
    .action(lazy(async () => (await import('../actions/audit.ts')).checkpoint));
};
