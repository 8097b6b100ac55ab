import { Option, type Command } from 'commander';
import { lazy } from '../lazy.ts';

export const registerReport = (program: Command): void => {
  const report = program.command('report').description('reports for auditors');

  report
    .command('freeze')
    .description(
      'freeze compliance: every change made while a window applied, its override, approvers, reason and ticket; ' +
        'rejected attempts; unexplained changes (exit 1 when there are any)',
    )
    .requiredOption('--from <when>', 'start of the period: ISO 8601 instant or date (UTC)')
    .option('--to <when>', 'end of the period, exclusive; a date counts whole (default: now)')
    .addOption(new Option('--format <format>', 'md (default), json or csv').choices(['md', 'json', 'csv']))
    .option('--out <file>', 'write the report to this file instead of stdout')
    .action(lazy(async () => (await import('../actions/report.ts')).freezeReport));
};
