/**
 * Text renderings of domain results that the API serves (`GET /reports/freeze-compliance?format=`) and
 * the CLI writes: here, the freeze compliance report as Markdown, JSON or CSV.
 */
import type { ComplianceEntry, ComplianceReport } from '#domain/compliance/compliance.ts';

export type ComplianceFormat = 'md' | 'json' | 'csv';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

const changeLabel = (c: ComplianceEntry): string => c.bundle ?? c.deploymentId ?? '';

/** A Markdown section: its heading with the row count, then "None." or a table of escaped cells. */
const section = (title: string, header: readonly string[], rows: readonly string[][]): string[] => [
  '',
  `## ${title} (${rows.length})`,
  '',
  ...(rows.length === 0
    ? ['None.']
    : [
        `| ${header.join(' | ')} |`,
        `|${header.map(() => '---').join('|')}|`,
        ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
      ]),
];

const markdown = (report: ComplianceReport): string => {
  const lines = [
    '# Freeze compliance report',
    '',
    `Period: ${report.period.from} to ${report.period.to} (end exclusive)`,
    '',
    report.unexplained > 0 ? `**UNEXPLAINED CHANGES: ${report.unexplained}**` : 'No unexplained changes.',
    ...section(
      'Changes made while a freeze applied',
      [
        'At',
        'Environment',
        'Kind',
        'Change',
        'Principal',
        'Windows',
        'Override',
        'Approvers',
        'Reason',
        'Ticket',
        'Approved',
        'Expires',
        'Explained',
      ],
      report.changes.map((c) => {
        const o = c.override;
        return [
          c.at,
          c.environment,
          c.kind,
          changeLabel(c),
          c.principal,
          c.windows.map((w) => `${w.id} (${w.level})`).join(', '),
          o?.id ?? '',
          o?.approvers.join(', ') ?? '',
          o?.reason ?? '',
          o?.ticket ?? '',
          o?.approvedAt ?? '',
          o?.expiresAt ?? '',
          c.explained ? `yes: ${c.explanation}` : `**NO: ${c.explanation}**`,
        ];
      }),
    ),
    ...section(
      'Rejected attempts',
      ['At', 'Environment', 'Kind', 'Principal', 'Windows', 'Reason'],
      report.rejected.map((r) => [r.at, r.environment, r.kind, r.principal, r.windows.join(', '), r.reason]),
    ),
    ...section(
      'Sign-off overrides',
      [
        'At',
        'Environment',
        'Release',
        'Overridden by',
        'Deployed by',
        'Teams not signed off',
        'Approved',
        'Reason',
      ],
      report.signoffOverrides.map((o) => [
        o.at,
        o.environment,
        o.release,
        o.principal,
        o.deployedBy,
        o.unsignedTeams.join(', ') || '(none)',
        o.approved ? 'yes' : 'no',
        o.reason,
      ]),
    ),
  ];
  return `${lines.join('\n')}\n`;
};

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled. A field
 * a spreadsheet would run as a formula (= + - @ at the start) is prefixed with `'`.
 */
export const csvField = (value: string): string => {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

const CSV_COLUMNS = [
  'record',
  'at',
  'environment',
  'kind',
  'bundle',
  'deployment_id',
  'principal',
  'windows',
  'override_id',
  'requester',
  'approvers',
  'reason',
  'ticket',
  'requested_at',
  'approved_at',
  'expires_at',
  'explained',
  'explanation',
  'unsigned_teams',
  'release_approved',
];

const csv = (report: ComplianceReport): string => {
  const rows: string[][] = [CSV_COLUMNS];
  for (const c of report.changes) {
    const o = c.override;
    rows.push([
      'change',
      c.at,
      c.environment,
      c.kind,
      c.bundle ?? '',
      c.deploymentId ?? '',
      c.principal,
      c.windows.map((w) => w.id).join(' '),
      o?.id ?? '',
      o?.requester ?? '',
      o?.approvers.join(' ') ?? '',
      o?.reason ?? '',
      o?.ticket ?? '',
      o?.requestedAt ?? '',
      o?.approvedAt ?? '',
      o?.expiresAt ?? '',
      c.explained ? 'yes' : 'no',
      c.explanation,
      '',
      '',
    ]);
  }
  for (const r of report.rejected) {
    rows.push([
      'rejected',
      r.at,
      r.environment,
      r.kind,
      '',
      '',
      r.principal,
      r.windows.join(' '),
      '',
      '',
      '',
      r.reason,
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
  }
  // A release deployed on a sign-off override: principal is the release manager, requester who deployed it.
  for (const o of report.signoffOverrides) {
    rows.push([
      'signoff-override',
      o.at,
      o.environment,
      'deploy',
      o.release,
      o.deploymentId ?? '',
      o.principal,
      '',
      '',
      o.deployedBy,
      '',
      o.reason,
      '',
      '',
      '',
      '',
      '',
      '',
      o.unsignedTeams.join(' '),
      o.approved ? 'yes' : 'no',
    ]);
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
};

/** Render a compliance report: Markdown for people (loud about unexplained changes), JSON, or CSV. */
export const formatComplianceReport = (report: ComplianceReport, format: ComplianceFormat): string => {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  return format === 'md' ? markdown(report) : csv(report);
};
