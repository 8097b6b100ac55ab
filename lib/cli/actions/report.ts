import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ComplianceReport } from '#domain/compliance/compliance.ts';
import { formatComplianceReport, type ComplianceFormat } from '#api/formats/compliance-report.ts';
import { periodBound } from '../report-period.ts';
import { contextOf } from '../context.ts';
import { exitCodes, usageError } from '../exit-codes.ts';
import { serverClock } from '../server-clock.ts';

/** `convoy report freeze`. */
export const freezeReport = async (
  options: { from: string; to?: string; format?: ComplianceFormat; out?: string },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  const from = periodBound(options.from, 'from');
  const to =
    options.to === undefined
      ? (await serverClock(ctx.client()))().toISOString()
      : periodBound(options.to, 'to');
  // Fetched as JSON and rendered with the API's own formatter (lib/api/formats): one rendering, and the CLI knows the count.
  const result = await ctx.client().call<ComplianceReport>('GET', '/reports/freeze-compliance', {
    query: { from, to, format: 'json' },
  });
  const format: ComplianceFormat = options.format ?? (ctx.json ? 'json' : 'md');
  const text = formatComplianceReport(result, format);
  if (result.unexplained > 0) ctx.setExitCode(exitCodes.rejected);
  if (options.out === undefined) ctx.out.raw(text);
  else {
    await writeFile(options.out, text).catch((error: unknown) => {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      throw usageError(`Cannot write ${options.out ?? ''} (${reason}).`);
    });
    ctx.out.note(`Report written to ${options.out}.`);
  }
  if (result.unexplained > 0) {
    ctx.out.note(
      `UNEXPLAINED: ${result.unexplained} change(s) made during a freeze are not explained by an override or an allowed kind.`,
    );
  }
};
