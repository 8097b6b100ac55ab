/**
 * Text renderings of domain results that the API serves (`GET /reports/freeze-compliance?format=`) and
 * the CLI writes: here, the freeze compliance report as Markdown, JSON or CSV.
 */
import type { ComplianceEntry, ComplianceReport } from '#domain/compliance/compliance.ts';

export type ComplianceFormat = 'md' | 'json' | 'csv';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

const changeLabel = (c: ComplianceEntry): string => c.bundle ?? c.deploymentId ?? '';

const markdown = (report: ComplianceReport): string => {
  const lines = [
    '# Freeze compliance report',
    '',
    `Period: ${report.period.from} to ${report.period.to} (end exclusive)`,
    '',
    report.unexplained > 0 ? `**UNEXPLAINED CHANGES: ${report.unexplained}**` : 'No unexplained changes.',
    '',
    `## Changes made while a freeze applied (${report.changes.length})`,
    '',
  ];
  if (report.changes.length === 0) lines.push('None.');
  else {
    lines.push(
      '| At | Environment | Kind | Change | Principal | Windows | Override | Approvers | Reason | Ticket | Approved | Expires | Explained |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const c of report.changes) {
      const o = c.override;
      const row = [
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
      lines.push(`| ${row.map(cell).join(' | ')} |`);
    }
  }
  lines.push('', `## Rejected attempts (${report.rejected.length})`, '');
  if (report.rejected.length === 0) lines.push('None.');
  else {
    lines.push('| At | Environment | Kind | Principal | Windows | Reason |', '|---|---|---|---|---|---|');
    for (const r of report.rejected) {
      lines.push(
        `| ${[r.at, r.environment, r.kind, r.principal, r.windows.join(', '), r.reason].map(cell).join(' | ')} |`,
      );
    }
  }
  lines.push('', `## Sign-off overrides (${report.signoffOverrides.length})`, '');
  if (report.signoffOverrides.length === 0) lines.push('None.');
  else {
    lines.push(
      '| At | Environment | Release | Overridden by | Deployed by | Teams not signed off | Approved | Reason |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const o of report.signoffOverrides) {
      const row = [
        o.at,
        o.environment,
        o.release,
        o.principal,
        o.deployedBy,
        o.unsignedTeams.join(', ') || '(none)',
        o.approved ? 'yes' : 'no',
        o.reason,
      ];
      lines.push(`| ${row.map(cell).join(' | ')} |`);
    }
  }
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
