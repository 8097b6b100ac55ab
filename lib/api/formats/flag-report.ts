/**
 * Text renderings of the flag report (`GET /environments/{env}/flags/report?format=`, `convoy flag
 * report`): a Markdown document, or a plain-text table for terminals. JSON is the report itself.
 */
import type { FlagFinding, FlagReport, FlagReportEntry } from '#domain/flags/flag-report.ts';

export type FlagReportFormat = 'json' | 'md' | 'table';

const percent = (share: number): string => `${(Math.floor(share * 1000) / 10).toFixed(1)}%`;

export const findingText = (finding: FlagFinding): string => {
  switch (finding.kind) {
    case 'stale':
      return finding.reason === 'unused'
        ? `stale: not evaluated for ${finding.unusedDays} days`
        : `stale: ${finding.variant} served to ${percent(finding.share)}` +
            (finding.unchangedDays === null
              ? ', unchanged'
              : `, unchanged for ${finding.unchangedDays} days`);
    case 'inert':
      return `inert: requires ${finding.unmet
        .map(
          (u) =>
            `${u.service} ${u.range}${u.running === undefined ? ' (not running)' : ` (runs ${u.running})`}`,
        )
        .join(', ')}`;
    case 'orphaned':
      return 'orphaned: prerequisite of nothing, evaluated nowhere';
    case 'drift':
      return `drift: differs in ${finding.environments.join(', ')}`;
  }
};

const variantsText = (flag: FlagReportEntry): string =>
  flag.variants.length === 0
    ? '-'
    : flag.variants.map((v) => `${v.variant} ${v.count} (${percent(v.share)})`).join(', ');

const changeText = (flag: FlagReportEntry): string =>
  flag.lastChange === null
    ? '-'
    : `${flag.lastChange.bundle ?? flag.lastChange.deployment} by ${flag.lastChange.principal} at ${flag.lastChange.at}`;

const requirementsText = (flag: FlagReportEntry): string =>
  flag.requirements.met ? 'met' : `unmet (${flag.requirements.unmet.map((u) => u.service).join(', ')})`;

const summaryText = (report: FlagReport): string =>
  `${report.summary.flags} flag(s); stale ${report.summary.stale}, inert ${report.summary.inert}, ` +
  `orphaned ${report.summary.orphaned}, drift ${report.summary.drift}`;

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

const markdown = (report: FlagReport): string => {
  const t = report.thresholds;
  const lines = [
    `# Flag report: ${report.environment}`,
    '',
    `Period: ${report.since} to ${report.at}`,
    '',
    `Thresholds: stale after ${t.staleDays} days unchanged with one variant at ≥ ${percent(t.dominantShare)}, ` +
      `or ${t.unusedDays} days without evaluations`,
    '',
    `Summary: ${summaryText(report)}`,
    '',
  ];
  if (report.flags.length === 0) return [...lines, 'No flags.', ''].join('\n');
  lines.push(
    '| Flag | State | Evaluations | Variants served | Last change | Requirements | Findings |',
    '|---|---|---|---|---|---|---|',
  );
  for (const flag of report.flags) {
    const row = [
      flag.key,
      flag.state,
      String(flag.evaluations),
      variantsText(flag),
      changeText(flag),
      requirementsText(flag),
      flag.findings.length === 0 ? '-' : flag.findings.map(findingText).join('; '),
    ];
    lines.push(`| ${row.map(cell).join(' | ')} |`);
  }
  return [...lines, ''].join('\n');
};

const table = (report: FlagReport): string => {
  const header = ['FLAG', 'STATE', 'EVALS', 'VARIANTS', 'LAST CHANGE', 'REQUIREMENTS', 'FINDINGS'];
  const rows = report.flags.map((flag) => [
    flag.key,
    flag.state,
    String(flag.evaluations),
    variantsText(flag),
    changeText(flag),
    requirementsText(flag),
    flag.findings.length === 0 ? '-' : flag.findings.map((f) => f.kind).join(','),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const details = report.flags.flatMap((flag) =>
    flag.findings.map((f) => `  ${flag.key}: ${findingText(f)}`),
  );
  return [
    `Flags of ${report.environment}, ${report.since} to ${report.at}`,
    '',
    line(header),
    ...rows.map(line),
    '',
    summaryText(report),
    ...(details.length === 0 ? [] : ['', 'Findings:', ...details]),
    '',
  ].join('\n');
};

export const formatFlagReport = (report: FlagReport, format: FlagReportFormat): string =>
  format === 'md'
    ? markdown(report)
    : format === 'table'
      ? table(report)
      : `${JSON.stringify(report, null, 2)}\n`;

export const flagReportContentTypes = {
  md: 'text/markdown; charset=utf-8',
  table: 'text/plain; charset=utf-8',
};
