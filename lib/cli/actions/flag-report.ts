import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { segment } from '#api/client.ts';
import { formatFlagReport, type FlagReportFormat } from '#api/formats/flag-report.ts';
import type { FlagReport } from '#domain/flags/flag-report.ts';
import { contextOf } from '../context.ts';
import { usageError } from '../exit-codes.ts';
import { periodBound } from '../report-period.ts';

export interface FlagReportOptions {
  env: string;
  format?: FlagReportFormat;
  since?: string;
  staleDays?: string;
  dominantShare?: string;
  unusedDays?: string;
  out?: string;
}

/** `convoy flag report --env e`: fetched as JSON, rendered with the API's own formatter. */
export const flagReport = async (options: FlagReportOptions, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const query: Record<string, string> = { format: 'json' };
  if (options.since !== undefined) query.since = periodBound(options.since, 'from');
  if (options.staleDays !== undefined) query.staleDays = options.staleDays;
  if (options.dominantShare !== undefined) query.dominantShare = options.dominantShare;
  if (options.unusedDays !== undefined) query.unusedDays = options.unusedDays;
  const report = await ctx
    .client()
    .call<FlagReport>('GET', `/environments/${segment(options.env)}/flags/report`, { query });
  const text = formatFlagReport(report, options.format ?? (ctx.json ? 'json' : 'table'));
  if (options.out === undefined) {
    ctx.out.raw(text);
    return;
  }
  await writeFile(options.out, text).catch((error: unknown) => {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw usageError(`Cannot write ${options.out ?? ''} (${reason}).`);
  });
  ctx.out.note(`Report written to ${options.out}.`);
};
