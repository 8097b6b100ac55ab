import { Option, type Command } from 'commander';
import { usageError } from '../exit-codes.ts';
import { lazy } from '../lazy.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A period bound: an ISO instant as is; a date is that day in UTC — `--from` its start, `--to` its end
 * (so `--from 2026-12-01 --to 2026-12-31` is all of December).
 */
export const periodBound = (text: string, bound: 'from' | 'to'): string => {
  if (!DATE.test(text)) return text;
  const start = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(start)) throw usageError(`--${bound} ${text} is not a date.`, 'Write e.g. 2026-12-01.');
  return new Date(bound === 'from' ? start : start + DAY_MS).toISOString();
};

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
